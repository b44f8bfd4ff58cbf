import { type DynamicModule, Module } from '@nestjs/common';

/** Sign-in for people: the session cookie, session expiry and the lock-out after failed attempts. */
export interface SignInOptions {
  /** SESSION_COOKIE_SECURE: the cookie is sent over HTTPS only (false only for plain-HTTP development and tests). */
  cookieSecure: boolean;
  /** SESSION_IDLE_MINUTES: a session unused this long ends. */
  sessionIdleMinutes: number;
  /** SESSION_MAX_HOURS: a session ends this long after sign-in, however busy. */
  sessionMaxHours: number;
  /** SIGN_IN_MAX_FAILURES: wrong passwords in a row that lock the account. */
  maxFailures: number;
  /** SIGN_IN_LOCK_MINUTES: how long it stays locked. */
  lockMinutes: number;
}

export const DEFAULT_SIGN_IN_OPTIONS: SignInOptions = {
  cookieSecure: true,
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  maxFailures: 5,
  lockMinutes: 15,
};

export const SIGN_IN_OPTIONS = Symbol('SIGN_IN_OPTIONS');

/** Global, so that the identity services and the auth guard of whichever module read the same options. */
@Module({})
export class SignInOptionsModule {
  static forRoot(options: SignInOptions): DynamicModule {
    return {
      module: SignInOptionsModule,
      global: true,
      providers: [{ provide: SIGN_IN_OPTIONS, useValue: options }],
      exports: [SIGN_IN_OPTIONS],
    };
  }
}
