import { ValidationError } from './errors.js';

export interface GeoPoint {
  readonly lat: number;
  readonly lng: number;
}

export function geoPoint(lat: number, lng: number): GeoPoint {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90 || !Number.isFinite(lng) || lng < -180 || lng > 180) {
    throw new ValidationError('coordinates out of range', { lat, lng });
  }
  return { lat, lng };
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Areas are compared case- and space-insensitively ("Kathmandu-10" == "kathmandu 10"). */
export function normalizeArea(area: string): string {
  const a = area
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  if (a.length === 0 || a.length > 80) throw new ValidationError('area must be 1-80 characters', { area });
  return a;
}
