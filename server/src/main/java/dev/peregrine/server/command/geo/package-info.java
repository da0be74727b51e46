/** The geospatial commands over sorted sets: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH and GEORADIUS family. */
package dev.peregrine.server.command.geo;
