/** Geospatial indexing on sorted sets: 52-bit interleaved geohash scores, distances and area searches. */
package dev.peregrine.storage.geo;
