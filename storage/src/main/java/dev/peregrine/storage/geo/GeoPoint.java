package dev.peregrine.storage.geo;

/**
 * One search hit: the member, its score (the 52-bit geohash), its decoded position and its distance in meters
 * from the search centre.
 */
public record GeoPoint(byte[] member, double score, double longitude, double latitude, double distance) {
}
