// The one way the workbench talks to the Swath API: every request carries the
// bearer token, every error becomes an ApiError holding the server's
// {error, reason, features?} so the views can show it in plain words.

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const reason = (body && body.reason) || fallback || `HTTP ${status}`;
    super(reason);
    this.name = 'ApiError';
    this.status = status;          // 0 when the server could not be reached
    this.code = body && body.error; // e.g. "conflict", "invalid_geometry"
    this.reason = reason;
    this.features = (body && Array.isArray(body.features)) ? body.features : [];
  }
}

export function createApi(getToken, { onUnauthorized } = {}) {
  async function send(method, path, { body, query, signal, raw = false, cache } = {}) {
    const url = withQuery(path, query);
    const headers = { Accept: raw ? '*/*' : 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response;
    try {
      // JSON answers describe live state and are never reused; tiles may be.
      response = await fetch(url, { method, headers, body: payload, signal, cache: cache || (raw ? 'default' : 'no-store') });
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw new ApiError(0, null, 'the server could not be reached');
    }
    if (!response.ok) {
      const error = new ApiError(response.status, await readJSON(response), response.statusText);
      // A revoked or unknown token ends the session wherever it is noticed.
      if (response.status === 401 && onUnauthorized) onUnauthorized(error);
      throw error;
    }
    if (response.status === 204) return null;
    return raw ? response.blob() : readJSON(response);
  }

  return {
    get: (path, options) => send('GET', path, options),
    post: (path, body, options) => send('POST', path, { ...options, body }),
    put: (path, body, options) => send('PUT', path, { ...options, body }),
    // Binary GET (map tiles); resolves to null for 204 (nothing there).
    blob: (path, options) => send('GET', path, { ...options, raw: true }),
  };
}

async function readJSON(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

// What went wrong, as a sentence for the analyst. `action` says what they
// were doing ("saving the labels"); the server's own reason follows, since
// it already names the task, the class or the rule.
export function describeError(error, action) {
  if (!(error instanceof ApiError)) return `Something went wrong while ${action}: ${error.message || error}.`;
  const reason = sentence(error.reason);
  switch (error.status) {
    case 0: return `Could not reach the Swath server while ${action}. Check your connection and try again.`;
    case 401: return 'Your token was not accepted (it may have been revoked). Please sign in again.';
    case 403: return `You are not allowed to do this (${action}): ${reason}`;
    case 404: return `Not found while ${action}: ${reason}`;
    case 409: return `Could not finish ${action}: ${reason}`;
    case 413: return `Too much data while ${action}: ${reason}`;
    case 422: {
      const count = error.features.length;
      if (!count) return `The labels were refused, so nothing was saved: ${reason}`;
      return count === 1
        ? '1 polygon was refused, so nothing was saved. It is outlined in red with the reason.'
        : `${count} polygons were refused, so nothing was saved. They are outlined in red with the reasons.`;
    }
    default:
      if (error.status >= 500) return `The server failed while ${action}. Try again in a moment.`;
      return `Could not finish ${action}: ${reason}`;
  }
}

function sentence(text) {
  const trimmed = String(text || '').trim();
  if (!trimmed) return '';
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
