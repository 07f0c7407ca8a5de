import type { ThrottleRule } from "../web/throttle.ts";

/**
 * Wrong log ins from one address, LOGIN_FAILURES_PER_ADDRESS a quarter-hour: a guesser trying many
 * usernames from one place is stopped (each username also waits on its own: login-failures.ts).
 * Only failures count: a ward or a whole hospital behind one address logs in all morning.
 */
export const loginFailuresPerAddress = (limit: number): ThrottleRule => ({
  action: "login",
  limit,
  windowMinutes: 15,
  words: "wrong passwords",
  // The unlock link makes the browser that follows it known to the account, and a known browser logs in while its address waits.
  orElse: "unlock your account by email with Forgotten | Request Username/Password | Unlock Account, which lets this browser in",
});
/** The Forgotten page's requests each send an email: fewer. */
export const RECOVERY_THROTTLE: ThrottleRule = { action: "recovery", limit: 10, windowMinutes: 15 };
