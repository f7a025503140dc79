// Polygons as the editor keeps them, and as GeoJSON. The editor holds a
// label as `parts`: a list of polygons, each a list of rings (the outer ring
// first, then holes), each ring a list of {lat, lng} without the closing
// vertex. Plain objects, so a whole label set can be copied for undo.

// GeoJSON Polygon/MultiPolygon (lon/lat, closed rings) → parts.
export function partsFromGeometry(geometry) {
  if (!geometry) return [];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates]
    : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  return polygons.map((rings) => rings.map(openRing));
}

function openRing(coordinates) {
  const ring = coordinates.map(([lng, lat]) => ({ lat, lng }));
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 1 && first.lat === last.lat && first.lng === last.lng) ring.pop();
  return ring;
}

// parts → GeoJSON geometry in lon/lat with closed rings (RFC 7946 order;
// the server fixes the winding).
export function geometryFromParts(parts) {
  const polygons = parts.map((rings) => rings.map(closedRing));
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0] }
    : { type: 'MultiPolygon', coordinates: polygons };
}

function closedRing(ring) {
  const coordinates = ring.map(({ lat, lng }) => [lng, lat]);
  coordinates.push([...coordinates[0]]);
  return coordinates;
}

// Leaflet's nested form: [[outer, hole…], …] (a single polygon unwrapped).
export function latLngsOfParts(parts) {
  return parts.length === 1 ? parts[0] : parts;
}

// Even-odd ray casting in lon/lat: fine for the few kilometres of a task.
export function pointInRing(point, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if ((a.lat > point.lat) !== (b.lat > point.lat) &&
        point.lng < ((b.lng - a.lng) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lng) {
      inside = !inside;
    }
  }
  return inside;
}

// The index of the part whose outer ring holds every vertex of `ring`, or -1.
export function partContaining(parts, ring) {
  return parts.findIndex((rings) => ring.every((point) => pointInRing(point, rings[0])));
}

export function vertexCount(parts) {
  return parts.reduce((sum, rings) => sum + rings.reduce((n, ring) => n + ring.length, 0), 0);
}
