// The logged-in user and the CSRF token, shared by the whole app.
import { reactive, readonly } from 'vue';
import { api, ApiError, setCsrfToken } from '@/api/client';
import type { RoleCode, SessionInfo, User } from '@/api/types';

interface SessionState {
  user: User | null;
  /** True once the initial GET /auth/me has answered (either way). */
  probed: boolean;
}

const state = reactive<SessionState>({ user: null, probed: false });

export const session = readonly(state);

function accept(info: SessionInfo): User {
  state.user = info.user;
  setCsrfToken(info.csrf_token ?? null);
  return info.user;
}

/** Drop the local session (after logout or a 401). */
export function forget(): void {
  state.user = null;
  setCsrfToken(null);
}

/** Asks the server who we are; null when not logged in. */
export async function probe(): Promise<User | null> {
  try {
    const info = await api.get<SessionInfo>('/auth/me', { quiet: ['unauthenticated'], noRedirect: true });
    return accept(info);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) forget();
    else if (!(e instanceof ApiError)) throw e;
    return null;
  } finally {
    state.probed = true;
  }
}

/** Makes sure the session was probed once; returns the current user. */
export async function ensureSession(): Promise<User | null> {
  if (!state.probed) return probe();
  return state.user;
}

/** POST /auth/login; errors (401/403/423) are left to the caller to show. */
export async function login(username: string, password: string): Promise<User> {
  const info = await api.post<SessionInfo>('/auth/login', { username, password }, { quiet: true, noRedirect: true });
  state.probed = true;
  return accept(info);
}

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout', undefined, { quiet: true, noRedirect: true });
  } catch {
    // The session may already be gone; leaving locally is what matters.
  } finally {
    forget();
  }
}

export async function changePassword(oldPassword: string, newPassword: string): Promise<User> {
  const res = await api.post<{ user: User }>(
    '/auth/password',
    { old_password: oldPassword, new_password: newPassword },
  );
  state.user = res.user;
  // The server ends the user's other sessions; refresh ours to be sure the CSRF token is current.
  await probe();
  return state.user ?? res.user;
}

/** Marks the current user as having to change the password (after a 403 password_change_required). */
export function markMustChangePassword(): void {
  if (state.user) state.user.must_change_password = true;
}

export function hasAnyRole(roles: readonly RoleCode[]): boolean {
  const user = state.user;
  if (!user) return false;
  return user.roles.some((r) => roles.includes(r));
}
