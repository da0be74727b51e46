package dev.peregrine.storage.geo;

import dev.peregrine.storage.zset.ZSetLimits;
import dev.peregrine.storage.zset.ZSetValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeoHashTest {
    // values printed by redis-server 7 for GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
    private static final long PALERMO = 3479099956230698L;
    private static final long CATANIA = 3479447370796909L;

    @Test
    void scoresAndGeohashStringsMatchRedis() {
        assertEquals(PALERMO, GeoHash.score(13.361389, 38.115556));
        assertEquals(CATANIA, GeoHash.score(15.087269, 37.502669));
        assertEquals("sqc8b49rny0", GeoHash.geohashString(PALERMO));
        assertEquals("sqdtr74hyu0", GeoHash.geohashString(CATANIA));
        double[] xy = GeoHash.decode(PALERMO);
        assertEquals(13.36138933897018433, xy[0], 0);
        assertEquals(38.11555639549629859, xy[1], 0);
        double[] c = GeoHash.decode(CATANIA);
        assertEquals(166274.1516, GeoHash.distance(xy[0], xy[1], c[0], c[1]), 0.00005);
    }

    @Test
    void outOfAreaPositionsDoNotEncode() {
        assertEquals(-1, GeoHash.score(180.1, 0));
        assertEquals(-1, GeoHash.score(0, 85.06));
        assertTrue(GeoHash.score(180, GeoHash.LAT_MAX) > 0);
    }

    @Test
    void sameMeridianDistanceIsTheArc() {
        assertEquals(GeoHash.latDistance(10, 20), GeoHash.distance(5, 10, 5, 20), 0);
        assertEquals(GeoHash.EARTH_RADIUS_IN_METERS * Math.PI / 18, GeoHash.latDistance(10, 20), 1e-6);
    }

    @Test
    void neighbourMovesWrapAround() {
        int step = 2; // 4 x 4 cells
        long cell = GeoHash.encode(-179, 0, GeoHash.LAT_MIN, GeoHash.LAT_MAX, step);
        long west = GeoHash.moveX(cell, step, -1);
        double[] a = GeoHash.area(west, step);
        assertEquals(90, a[0], 1e-9, "west of the first column is the last column");
        assertEquals(cell, GeoHash.moveX(west, step, 1));
        long north = GeoHash.moveY(cell, step, 1);
        assertEquals(cell, GeoHash.moveY(north, step, -1));
    }

    @Test
    void searchFindsExactlyThePointsInsideTheShape() {
        SplittableRandom rnd = new SplittableRandom(9);
        ZSetValue z = ZSetValue.createSkiplist("k".getBytes(StandardCharsets.US_ASCII));
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double lon = 2 + rnd.nextDouble() * 4;
            double lat = 45 + rnd.nextDouble() * 4;
            long score = GeoHash.score(lon, lat);
            z.insertNew(("m" + i).getBytes(StandardCharsets.US_ASCII), score, ZSetLimits.DEFAULTS);
            points.add(GeoHash.decode(score));
        }
        for (int q = 0; q < 50; q++) {
            double lon = 2 + rnd.nextDouble() * 4;
            double lat = 45 + rnd.nextDouble() * 4;
            double km = 1 + rnd.nextDouble() * 150;
            GeoShape shape = q % 2 == 0 ? GeoShape.circle(lon, lat, km, 1000)
                    : GeoShape.box(lon, lat, km, km / 2, 1000);
            List<GeoPoint> hits = new ArrayList<>();
            GeoSearch.search(z, shape, 0, hits);
            Set<String> found = new HashSet<>();
            for (GeoPoint p : hits) {
                assertTrue(found.add(new String(p.member(), StandardCharsets.US_ASCII)), "no duplicates");
            }
            int expected = 0;
            for (int i = 0; i < points.size(); i++) {
                double[] xy = points.get(i);
                if (GeoSearch.within(shape, new byte[0], GeoHash.score(xy[0], xy[1])) != null) {
                    expected++;
                    assertTrue(found.contains("m" + i), "point m" + i + " missed");
                }
            }
            assertEquals(expected, hits.size());
            List<GeoPoint> limited = new ArrayList<>();
            GeoSearch.search(z, shape, 3, limited);
            assertEquals(Math.min(3, expected), limited.size());
        }
    }
}
