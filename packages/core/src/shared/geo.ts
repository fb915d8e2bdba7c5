import { ErrorCodes, ValidationError } from './errors.js';
import { requireText } from './text.js';

export interface GeoPoint {
  readonly lat: number;
  readonly lng: number;
}

function inRange(lat: unknown, lng: unknown): boolean {
  return (
    typeof lat === 'number' &&
    typeof lng === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lng) &&
    lat >= -90 &&
    lat <= 90 &&
    lng >= -180 &&
    lng <= 180
  );
}

export function geoPoint(lat: number, lng: number): GeoPoint {
  if (!inRange(lat, lng)) {
    throw new ValidationError('coordinates out of range', { lat, lng }, ErrorCodes.INVALID_COORDINATES);
  }
  return { lat, lng };
}

/** A party's optional location as given by a caller: a fresh, checked point or null. */
export function optionalLocation(location: GeoPoint | null | undefined): GeoPoint | null {
  if (location === null || location === undefined) return null;
  if (typeof location !== 'object') {
    throw new ValidationError('location must be {lat, lng}', {}, ErrorCodes.INVALID_COORDINATES);
  }
  return geoPoint(location.lat, location.lng);
}

/** Whether a stored location may be written: both null, or a point in range (the stores' CHECK). */
export function isStorableLocation(location: GeoPoint | null): boolean {
  return location === null || inRange(location.lat, location.lng);
}

/**
 * A location read back from a store. A row written before the range check existed (or
 * by hand) must not make its party unloadable, nor every query that lists it: an
 * out-of-range point reads as "location unknown".
 */
export function storedLocation(lat: number | null, lng: number | null): GeoPoint | null {
  return lat !== null && lng !== null && inRange(lat, lng) ? { lat, lng } : null;
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
  const a = requireText(area, 'area', 80)
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return a;
}
