// The magic wand: a click inside the task asks the server for the region
// grown from that pixel over the scene's bands (POST /tasks/{id}/segment).
// The server only answers; the annotate view hands the region to the editor
// as an ordinary unsaved polygon, so an unwanted one is a Ctrl+Z away and a
// wanted one is saved with the rest.

// What the server takes (LabelingService.segmentTolerances), in standard
// deviations of each band: a wider tolerance takes in less similar pixels.
export const MIN_TOLERANCE = 0.05;
export const MAX_TOLERANCE = 5;
export const DEFAULT_TOLERANCE = 1;

// The field's value as the server takes it: an empty or mistyped field means
// the default, and an out-of-range one the nearest bound, rather than a
// request the server would refuse.
export function readTolerance(input) {
  const text = String(input.value).trim();
  const value = Number(text);
  if (!text || !Number.isFinite(value)) return DEFAULT_TOLERANCE;
  return Math.min(MAX_TOLERANCE, Math.max(MIN_TOLERANCE, value));
}

export class MagicWand {
  constructor(api, map, toleranceInput) {
    this.api = api;
    this.map = map;
    this.input = toleranceInput;
    this.pending = false;
    this.last = null; // {tolerance, pixels} of the last region, for the test
    // Once the analyst leaves the field, show the value that will be sent. An
    // emptied field stays empty (its placeholder shows the default), so
    // clearing it to type a new value does not put the default back first.
    this.input.addEventListener('change', () => {
      if (this.input.value.trim() !== '') this.input.value = String(readTolerance(this.input));
    });
  }

  // The region grown from `point` ([x, y] in `crs`: 'wgs84' lon/lat or the
  // task's 'pixel' grid) in task `taskId`: a GeoJSON Feature in the same crs,
  // or null when a region is already on its way (a double-click must not add
  // the same region twice). Errors are the API's ApiError.
  async segment(taskId, point, crs = 'wgs84') {
    if (this.pending) return null;
    const tolerance = readTolerance(this.input);
    this._setPending(true);
    try {
      const region = await this.api.post(`/api/v1/tasks/${taskId}/segment`,
        { point, crs, tolerance });
      this.last = { tolerance, pixels: region && region.properties ? region.properties.pixels : null };
      return region;
    } finally {
      this._setPending(false);
    }
  }

  // Growing a large region takes a moment: the map shows it is working.
  _setPending(pending) {
    this.pending = pending;
    this.map.getContainer().classList.toggle('wand-busy', pending);
  }

  describe() {
    return { tolerance: readTolerance(this.input), pending: this.pending, last: this.last };
  }
}
