import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { problemKey } from './problem-queries';

export interface LiveChange {
  type: string;
  actorName: string;
}

/**
 * Live updates from GET /events/stream (the session cookie authenticates it): an event of this problem, by
 * anyone, reloads the problem and its history, and is reported once so the page can say who did what.
 */
export function useProblemStream(problemId: string, myUserId: string): LiveChange | null {
  const client = useQueryClient();
  const [change, setChange] = useState<LiveChange | null>(null);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/events/stream', { withCredentials: true });
    const onEvent = (message: MessageEvent<string>) => {
      try {
        const event = JSON.parse(message.data) as { type: string; problem?: { id?: string }; actor?: { id?: string; name?: string } };
        if (event.problem?.id !== problemId) return;
        void client.invalidateQueries({ queryKey: problemKey(problemId) });
        // One's own step is already on the page: only other people's are announced.
        if (event.actor?.id !== myUserId) setChange({ type: event.type, actorName: event.actor?.name ?? '' });
      } catch {
        // Not an event (a comment or a closing notice).
      }
    };
    source.onmessage = onEvent;
    // Named events (event: problem.assigned …) do not reach onmessage: listen to each family the problem has.
    const types = ['filed', 'assigned', 'reassigned', 'started', 'progress_reported', 'submitted', 'approved', 'rejected', 'closed', 'cancelled', 'reopened',
      'extension_requested', 'extension_approved', 'extension_rejected', 'suspension_requested', 'suspended', 'suspension_rejected', 'resumed',
      'deadline_recounted', 'deadline_approaching', 'overdue', 'escalated', 'verification_overdue'].map((name) => `problem.${name}`);
    for (const type of types) source.addEventListener(type, onEvent as EventListener);
    return () => source.close();
  }, [client, problemId, myUserId]);
  return change;
}
