package dev.peregrine.storage.geo;

/**
 * Redis's geohash arithmetic. A position is two 26-bit cell numbers, latitude over [-85.05112878, 85.05112878]
 * and longitude over [-180, 180], interleaved into a 52-bit integer (latitude in the even bits, longitude in the
 * odd bits) that is stored as the sorted set score. Decoding gives the centre of the cell. Distances use the
 * haversine formula on a sphere of radius 6372797.560856 m, with the same operations in the same order as Redis
 * so results agree to the last bit where the platform's libm does.
 *
 * <p>A hash at lower precision ({@code step} bits per coordinate) is a {@code long} with {@code 2 * step}
 * significant bits; {@link #NONE} marks a neighbour area excluded from a search. Static methods; any thread.
 */
public final class GeoHash {
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    /** Bits per coordinate of a stored score. */
    public static final int STEP_MAX = 26;
    public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    public static final double MERCATOR_MAX = 20037726.37;

    private static final double D_R = Math.PI / 180.0;
    private static final char[] ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();
    private static final long EVEN = 0x5555555555555555L;
    private static final long ODD = 0xaaaaaaaaaaaaaaaaL;

    private GeoHash() {
    }

    static double degToRad(double deg) {
        return deg * D_R;
    }

    static double radToDeg(double rad) {
        return rad / D_R;
    }

    /** Spreads the low 32 bits of {@code v} to the even bit positions. */
    private static long spread(long v) {
        v &= 0xffffffffL;
        v = (v | (v << 16)) & 0x0000ffff0000ffffL;
        v = (v | (v << 8)) & 0x00ff00ff00ff00ffL;
        v = (v | (v << 4)) & 0x0f0f0f0f0f0f0f0fL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & EVEN;
        return v;
    }

    /** Gathers the even bit positions of {@code v} into 32 bits. */
    private static long squash(long v) {
        v &= EVEN;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0f0f0f0f0f0f0f0fL;
        v = (v | (v >>> 4)) & 0x00ff00ff00ff00ffL;
        v = (v | (v >>> 8)) & 0x0000ffff0000ffffL;
        v = (v | (v >>> 16)) & 0x00000000ffffffffL;
        return v;
    }

    /**
     * The hash of a position at {@code step} bits per coordinate over the given latitude range (longitude
     * always [-180, 180]), or -1 when the position is outside the indexable area or the range.
     */
    public static long encode(double longitude, double latitude, double latMin, double latMax, int step) {
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return -1;
        }
        if (latitude < latMin || latitude > latMax) {
            return -1;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - LONG_MIN) / (LONG_MAX - LONG_MIN);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return spread((long) latOffset) | (spread((long) longOffset) << 1);
    }

    /** The 52-bit score of a position (which must be valid), as GEOADD stores it. */
    public static long score(double longitude, double latitude) {
        return encode(longitude, latitude, LAT_MIN, LAT_MAX, STEP_MAX);
    }

    /**
     * The cell of {@code hash} at {@code step}: {@code {lonMin, lonMax, latMin, latMax}}.
     */
    public static double[] area(long hash, int step) {
        return area(hash, step, LAT_MIN, LAT_MAX);
    }

    private static double[] area(long hash, int step, double latMin, double latMax) {
        long lat = squash(hash);
        long lon = squash(hash >>> 1);
        double latScale = latMax - latMin;
        double lonScale = LONG_MAX - LONG_MIN;
        double cells = (double) (1L << step);
        return new double[] {
            LONG_MIN + (lon * 1.0 / cells) * lonScale,
            LONG_MIN + ((lon + 1) * 1.0 / cells) * lonScale,
            latMin + (lat * 1.0 / cells) * latScale,
            latMin + ((lat + 1) * 1.0 / cells) * latScale,
        };
    }

    /** The centre of the cell of a stored score, clamped to the indexable area: {@code {longitude, latitude}}. */
    public static double[] decode(double score) {
        double[] a = area(toBits(score), STEP_MAX);
        double lon = (a[0] + a[1]) / 2;
        lon = Math.max(LONG_MIN, Math.min(LONG_MAX, lon));
        double lat = (a[2] + a[3]) / 2;
        lat = Math.max(LAT_MIN, Math.min(LAT_MAX, lat));
        return new double[] {lon, lat};
    }

    /**
     * A score as the unsigned 64-bit integer C's conversion gives on x86-64: truncation below 2^63 (negative
     * values wrap), an offset conversion from 2^63, and 0 from 2^64 up (infinity included).
     */
    private static long toBits(double score) {
        if (score >= 0x1p63) {
            return score >= 0x1p64 ? 0 : (long) (score - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) score;
    }

    /**
     * The standard 11-character geohash of a stored score: the decoded position re-encoded over latitude
     * [-90, 90] at 26 bits per coordinate, ten 5-bit characters, and a final '0' as Redis pads it.
     */
    public static String geohashString(double score) {
        double[] xy = decode(score);
        long bits = encode(xy[0], xy[1], -90, 90, STEP_MAX);
        char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
            out[i] = ALPHABET[idx];
        }
        return new String(out);
    }

    // ---------------------------------------------------------------- distances

    /** Distance in meters between two latitudes on the same meridian. */
    public static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degToRad(lat2) - degToRad(lat1));
    }

    /** Great-circle distance in meters (haversine). */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lon1r = degToRad(lon1);
        double lon2r = degToRad(lon2);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1, lat2);
        }
        double lat1r = degToRad(lat1);
        double lat2r = degToRad(lat2);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }

    // ---------------------------------------------------------------- search areas

    /** Redis's geohashEstimateStepsByRadius: the precision whose cells cover a search of this radius. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    /** Moves a hash one cell east (+1) or west (-1) at {@code step}. */
    static long moveX(long bits, int step, int d) {
        long x = bits & ODD;
        long y = bits & EVEN;
        long zz = EVEN >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= ODD >>> (64 - step * 2);
        return x | y;
    }

    /** Moves a hash one cell north (+1) or south (-1) at {@code step}. */
    static long moveY(long bits, int step, int d) {
        long x = bits & ODD;
        long y = bits & EVEN;
        long zz = ODD >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= EVEN >>> (64 - step * 2);
        return x | y;
    }
}
