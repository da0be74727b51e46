package dev.peregrine.storage.geo;

import dev.peregrine.storage.zset.ZSetValue;

import java.util.List;

/**
 * Redis's geo area search over a sorted set of geohash scores: pick a precision from the search size, take the
 * centre cell and its eight neighbours (dropping those the bounding box cannot reach), read each cell's score
 * range from the set, and keep the members inside the shape. Hits come in Redis's order: cell by cell (centre,
 * N, S, E, W, NE, NW, SE, SW), by score within a cell. Executor-only (reads the set).
 */
public final class GeoSearch {
    /** A cell left out of the search. */
    static final long NONE = -1;

    private GeoSearch() {
    }

    /** Redis's geohashBoundingBox: {@code {minLon, minLat, maxLon, maxLat}}. */
    static double[] boundingBox(GeoShape s) {
        double height = s.conversion * (s.type == GeoShape.CIRCLE ? s.radius : s.height / 2);
        double width = s.conversion * (s.type == GeoShape.CIRCLE ? s.radius : s.width / 2);
        double latDelta = GeoHash.radToDeg(height / GeoHash.EARTH_RADIUS_IN_METERS);
        double longDeltaTop = GeoHash.radToDeg(width / GeoHash.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoHash.degToRad(s.latitude + latDelta)));
        double longDeltaBottom = GeoHash.radToDeg(width / GeoHash.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoHash.degToRad(s.latitude - latDelta)));
        boolean south = s.latitude < 0;
        return new double[] {
            south ? s.longitude - longDeltaBottom : s.longitude - longDeltaTop,
            s.latitude - latDelta,
            south ? s.longitude + longDeltaBottom : s.longitude + longDeltaTop,
            s.latitude + latDelta,
        };
    }

    /**
     * The cells to search: index 0..8 = centre, N, S, E, W, NE, NW, SE, SW ({@link #NONE} when excluded), index
     * 9 = the precision (bits per coordinate).
     */
    static long[] areas(GeoShape s) {
        double[] bounds = boundingBox(s);
        double minLon = bounds[0];
        double minLat = bounds[1];
        double maxLon = bounds[2];
        double maxLat = bounds[3];
        double radiusMeters = s.type == GeoShape.CIRCLE ? s.radius
                : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2));
        radiusMeters *= s.conversion;
        int steps = GeoHash.estimateSteps(radiusMeters, s.latitude);
        long[] cells = neighbours(GeoHash.encode(s.longitude, s.latitude, GeoHash.LAT_MIN, GeoHash.LAT_MAX, steps),
                steps);
        double[] north = GeoHash.area(cells[1], steps);
        double[] south = GeoHash.area(cells[2], steps);
        double[] east = GeoHash.area(cells[3], steps);
        double[] west = GeoHash.area(cells[4], steps);
        boolean decrease = north[3] < maxLat || south[2] > minLat || east[1] < maxLon || west[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            cells = neighbours(GeoHash.encode(s.longitude, s.latitude, GeoHash.LAT_MIN, GeoHash.LAT_MAX, steps),
                    steps);
        }
        double[] area = GeoHash.area(cells[0], steps);
        if (steps >= 2) {
            if (area[2] < minLat) {
                cells[2] = NONE;
                cells[8] = NONE;
                cells[7] = NONE;
            }
            if (area[3] > maxLat) {
                cells[1] = NONE;
                cells[5] = NONE;
                cells[6] = NONE;
            }
            if (area[0] < minLon) {
                cells[4] = NONE;
                cells[8] = NONE;
                cells[6] = NONE;
            }
            if (area[1] > maxLon) {
                cells[3] = NONE;
                cells[7] = NONE;
                cells[5] = NONE;
            }
        }
        long[] out = new long[10];
        System.arraycopy(cells, 0, out, 0, 9);
        out[9] = steps;
        return out;
    }

    /** The cell and its neighbours: centre, N, S, E, W, NE, NW, SE, SW. */
    private static long[] neighbours(long hash, int step) {
        return new long[] {
            hash,
            GeoHash.moveY(hash, step, 1),
            GeoHash.moveY(hash, step, -1),
            GeoHash.moveX(hash, step, 1),
            GeoHash.moveX(hash, step, -1),
            GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, 1),
            GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, 1),
            GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, -1),
            GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, -1),
        };
    }

    /**
     * Appends to {@code out} the members of {@code z} inside {@code shape}, in Redis's order.
     *
     * @param limit stop once this many were found (COUNT with ANY); 0 for no limit
     */
    public static void search(ZSetValue z, GeoShape shape, long limit, List<GeoPoint> out) {
        long[] cells = areas(shape);
        int step = (int) cells[9];
        int lastProcessed = 0;
        for (int i = 0; i < 9; i++) {
            if (cells[i] == NONE) {
                continue;
            }
            // huge areas can make neighbours coincide; skip a repeat of the cell searched just before
            if (lastProcessed != 0 && cells[i] == cells[lastProcessed]) {
                continue;
            }
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                break;
            }
            searchCell(z, cells[i], step, shape, limit, out);
            lastProcessed = i;
        }
    }

    private static void searchCell(ZSetValue z, long hash, int step, GeoShape shape, long limit,
                                   List<GeoPoint> out) {
        int shift = 52 - step * 2;
        double min = (double) (hash << shift);
        double max = (double) ((hash + 1) << shift);
        long rank = z.countWhile((m, s) -> s < min);
        z.visit(rank, false, (m, s) -> {
            if (!(s < max)) {
                return false;
            }
            GeoPoint p = within(shape, m, s);
            if (p != null) {
                out.add(p);
            }
            return out.isEmpty() || limit == 0 || out.size() < limit;
        });
    }

    /** The hit for a member whose position lies inside the shape, or null. */
    static GeoPoint within(GeoShape s, byte[] member, double score) {
        double[] xy = GeoHash.decode(score);
        double distance;
        if (s.type == GeoShape.CIRCLE) {
            distance = GeoHash.distance(s.longitude, s.latitude, xy[0], xy[1]);
            if (distance > s.radius * s.conversion) {
                return null;
            }
        } else {
            double widthM = s.width * s.conversion;
            double heightM = s.height * s.conversion;
            if (GeoHash.latDistance(xy[1], s.latitude) > heightM / 2) {
                return null;
            }
            if (GeoHash.distance(xy[0], xy[1], s.longitude, xy[1]) > widthM / 2) {
                return null;
            }
            distance = GeoHash.distance(s.longitude, s.latitude, xy[0], xy[1]);
        }
        return new GeoPoint(member, score, xy[0], xy[1], distance);
    }
}
