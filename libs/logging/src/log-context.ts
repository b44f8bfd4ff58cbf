import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line says about the request it was made for, as far as it is known at that point. */
export interface LogContext {
  correlationId?: string;
  /** The client's address: the socket's peer, or the one a trusted proxy names (TRUST_PROXY). */
  clientAddress?: string;
  actorId?: string;
  problemId?: string;
}

// One store for the process: the HTTP middleware opens it per request, and every line logged while serving
// that request (in guards, services, listeners awaited by it) reads the same object.
const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with its own log context; what is set on it later (actor, problem) shows on the lines after. */
export function runWithLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the request being served, if any (a scheduler round or start-up has none). */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

/** Adds what has just become known (the actor once authenticated, the problem once resolved). */
export function setLogContext(facts: LogContext): void {
  const context = storage.getStore();
  if (!context) return;
  for (const [key, value] of Object.entries(facts) as Array<[keyof LogContext, string | undefined]>) {
    if (value !== undefined) context[key] = value;
  }
}
