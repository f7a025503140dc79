// Who is signed in. The token lives in sessionStorage: it survives a reload
// of this tab but not closing it, and is never shared with other tabs.

const TOKEN_KEY = 'swath.token';

export function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return ''; // storage disabled: the analyst signs in on every load
  }
}

export function storeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled; the token stays in memory only
  }
}

// Loads the caller and the projects they may see. Throws the ApiError of a
// refused token (401) so the sign-in form can say so.
export async function loadSession(api) {
  const me = await api.get('/api/v1/me');
  const projects = await api.get('/api/v1/projects');
  // Only what the workbench shows: the codename, never the customer.
  const visible = (projects || []).map((p) => ({ id: p.id, codename: p.codename, roles: p.roles || [] }));
  visible.sort((a, b) => a.codename.localeCompare(b.codename));
  return { user: { id: me.id, name: me.name, admin: !!me.admin }, projects: visible };
}

// What the user may do in a project: admins may do everything.
export function capabilities(user, project) {
  const roles = new Set(project ? project.roles : []);
  return {
    annotate: user.admin || roles.has('annotator'),
    review: user.admin || roles.has('reviewer') || roles.has('manager'),
    // An annotator's own standing and earnings; cohorts and payroll for managers.
    standing: roles.has('annotator') || roles.has('manager'),
  };
}
