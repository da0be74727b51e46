package dev.peregrine.storage.zset;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZSetValueTest {
    private static final byte[] KEY = b("z");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private record El(double score, String member) implements Comparable<El> {
        @Override
        public int compareTo(El o) {
            int c = Double.compare(score, o.score);
            if (score == o.score) {
                c = 0;
            }
            return c != 0 ? c : Arrays.compareUnsigned(b(member), b(o.member));
        }
    }

    /** The model: member to score plus the ordered elements. */
    private static final class Model {
        final Map<String, Double> scores = new HashMap<>();
        final TreeSet<El> order = new TreeSet<>();

        void put(String m, double s) {
            Double old = scores.put(m, s);
            if (old != null) {
                order.remove(new El(old, m));
            }
            order.add(new El(s, m));
        }

        boolean remove(String m) {
            Double old = scores.remove(m);
            if (old == null) {
                return false;
            }
            order.remove(new El(old, m));
            return true;
        }

        List<El> list() {
            return new ArrayList<>(order);
        }
    }

    private static List<El> contents(ZSetValue z) {
        List<El> out = new ArrayList<>();
        z.forEach((m, s) -> out.add(new El(s, new String(m, StandardCharsets.ISO_8859_1))));
        return out;
    }

    private static void check(Model model, ZSetValue z) {
        List<El> expected = model.list();
        assertEquals(expected.size(), z.size());
        assertEquals(expected, contents(z));
        List<El> reversed = new ArrayList<>();
        z.visit(z.size() - 1, true, (m, s) -> reversed.add(new El(s, new String(m, StandardCharsets.ISO_8859_1))));
        List<El> r = new ArrayList<>(expected);
        java.util.Collections.reverse(r);
        assertEquals(r, reversed);
        for (int i = 0; i < expected.size(); i++) {
            El e = expected.get(i);
            assertEquals(i, z.rank(b(e.member())), "rank of " + e);
            assertEquals(e.score(), z.score(b(e.member())));
        }
    }

    @Test
    void randomOpsAgainstTreeSetAcrossConversions() {
        Random rnd = new Random(7);
        ZSetLimits limits = new ZSetLimits(16, 8);
        for (int round = 0; round < 30; round++) {
            Model model = new Model();
            ZSetValue z = ZSetValue.create(KEY, 1, 1, limits);
            double[] out = new double[1];
            int universe = 5 + rnd.nextInt(60);
            for (int op = 0; op < 600; op++) {
                String m = rnd.nextInt(20) == 0 ? "long-member-" + rnd.nextInt(universe) : "m" + rnd.nextInt(universe);
                double s = rnd.nextInt(8) == 0 ? Double.POSITIVE_INFINITY : rnd.nextInt(20) / 2.0 - 3;
                switch (rnd.nextInt(6)) {
                    case 0, 1, 2 -> {
                        int r = z.add(b(m), s, 0, out, limits);
                        boolean existed = model.scores.containsKey(m);
                        Double old = model.scores.get(m);
                        model.put(m, s);
                        assertEquals(existed ? (old == s ? 0 : ZSetValue.OUT_UPDATED) : ZSetValue.OUT_ADDED, r);
                    }
                    case 3 -> {
                        int r = z.add(b(m), 1.5, ZSetValue.IN_INCR, out, limits);
                        if (r != ZSetValue.OUT_NAN) {
                            model.put(m, out[0]);
                        }
                    }
                    case 4 -> assertEquals(model.remove(m), z.remove(b(m)));
                    default -> {
                        int n = model.order.size();
                        if (n > 0) {
                            int start = rnd.nextInt(n);
                            int end = Math.min(n - 1, start + rnd.nextInt(4));
                            List<El> l = model.list();
                            for (int i = start; i <= end; i++) {
                                model.remove(l.get(i).member());
                            }
                            assertEquals(end - start + 1, z.removeRange(start, end));
                        }
                    }
                }
                check(model, z);
                if (model.order.size() > 16 || model.scores.keySet().stream().anyMatch(x -> x.length() > 8)) {
                    // once converted it stays a skiplist
                    if (!z.isListpack()) {
                        assertEquals("skiplist", z.encoding());
                    }
                }
            }
        }
    }

    @Test
    void convertsAtLimits() {
        ZSetLimits limits = ZSetLimits.DEFAULTS;
        ZSetValue z = ZSetValue.create(KEY, 1, 1, limits);
        double[] out = new double[1];
        for (int i = 0; i < 128; i++) {
            z.add(b("m" + i), i, 0, out, limits);
        }
        assertEquals("listpack", z.encoding());
        z.add(b("m128"), 1, 0, out, limits);
        assertEquals("skiplist", z.encoding());
        ZSetValue y = ZSetValue.create(KEY, 1, 1, limits);
        y.add(b("x".repeat(64)), 1, 0, out, limits);
        assertEquals("listpack", y.encoding());
        y.add(b("x".repeat(65)), 1, 0, out, limits);
        assertEquals("skiplist", y.encoding());
        assertEquals("skiplist", ZSetValue.create(KEY, 129, 1, limits).encoding());
        assertEquals("skiplist", ZSetValue.create(KEY, 1, 65, limits).encoding());
        ZSetValue w = ZSetValue.create(KEY, 1, 1, limits);
        w.maybeConvert(128, limits);
        assertTrue(w.isListpack());
        w.maybeConvert(129, limits);
        assertFalse(w.isListpack());
        w.add(b("a"), 1, 0, out, limits);
        w.convertToListpackIfNeeded(1, limits);
        assertTrue(w.isListpack());
        assertEquals(1.0, w.score(b("a")));
    }

    @Test
    void flagsAndNan() {
        ZSetLimits limits = ZSetLimits.DEFAULTS;
        for (int enc = 0; enc < 2; enc++) {
            ZSetValue z = enc == 0 ? ZSetValue.create(KEY, 1, 1, limits) : ZSetValue.createSkiplist(KEY);
            double[] out = new double[1];
            assertEquals(ZSetValue.OUT_NOP, z.add(b("a"), 1, ZSetValue.IN_XX, out, limits));
            assertEquals(ZSetValue.OUT_ADDED, z.add(b("a"), 5, ZSetValue.IN_NX, out, limits));
            assertEquals(ZSetValue.OUT_NOP, z.add(b("a"), 4, ZSetValue.IN_GT, out, limits));
            assertEquals(ZSetValue.OUT_UPDATED, z.add(b("a"), 6, ZSetValue.IN_GT, out, limits));
            assertEquals(ZSetValue.OUT_NOP, z.add(b("a"), 7, ZSetValue.IN_LT, out, limits));
            assertEquals(0, z.add(b("a"), 6, 0, out, limits));
            assertEquals(ZSetValue.OUT_UPDATED, z.add(b("a"), Double.POSITIVE_INFINITY, 0, out, limits));
            assertEquals(ZSetValue.OUT_NAN,
                    z.add(b("a"), Double.NEGATIVE_INFINITY, ZSetValue.IN_INCR, out, limits));
            assertEquals(Double.POSITIVE_INFINITY, z.score(b("a")));
            assertTrue(Double.isNaN(z.score(b("zz"))));
            assertEquals(-1, z.rank(b("zz")));
        }
    }

    @Test
    void scoreAndLexRanges() {
        ZSetLimits limits = ZSetLimits.DEFAULTS;
        for (int enc = 0; enc < 2; enc++) {
            ZSetValue z = enc == 0 ? ZSetValue.create(KEY, 1, 1, limits) : ZSetValue.createSkiplist(KEY);
            double[] out = new double[1];
            for (int i = 0; i < 10; i++) {
                z.add(b("m" + i), i, 0, out, limits);
            }
            ScoreRange r = new ScoreRange(2, 5, true, false);
            assertEquals(3, z.countWhile(r.below()));
            assertEquals(6, z.countWhile(r.notAfter()));
            ScoreRange all = new ScoreRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, false);
            assertEquals(0, z.countWhile(all.below()));
            assertEquals(10, z.countWhile(all.notAfter()));
            assertTrue(new ScoreRange(3, 3, true, false).isEmpty());
            assertFalse(new ScoreRange(3, 3, false, false).isEmpty());

            ZSetValue lex = enc == 0 ? ZSetValue.create(KEY, 1, 1, limits) : ZSetValue.createSkiplist(KEY);
            for (String m : new String[] {"a", "b", "c", "d", "e", "\u00ff"}) {
                lex.add(b(m), 0, 0, out, limits);
            }
            LexRange lr = LexRange.parse(b("(b"), b("[d"));
            assertEquals(2, lex.countWhile(lr.below()));
            assertEquals(4, lex.countWhile(lr.notAfter()));
            LexRange inf = LexRange.parse(b("-"), b("+"));
            assertEquals(0, lex.countWhile(inf.below()));
            assertEquals(6, lex.countWhile(inf.notAfter()));
            assertTrue(LexRange.parse(b("+"), b("-")).isEmpty());
            assertTrue(LexRange.parse(b("(a"), b("[a")).isEmpty());
            assertEquals(null, LexRange.parse(b("a"), b("+")));
            assertEquals(1, lex.countWhile(LexRange.parse(b("(a"), b("+")).below()));
        }
    }

    @Test
    void largeSkiplistRanks() {
        ZSetLimits limits = ZSetLimits.DEFAULTS;
        ZSetValue z = ZSetValue.create(KEY, 5000, 1, limits);
        double[] out = new double[1];
        Random rnd = new Random(3);
        Model model = new Model();
        for (int i = 0; i < 5000; i++) {
            String m = "k" + rnd.nextInt(3000);
            double s = rnd.nextInt(100);
            z.add(b(m), s, 0, out, limits);
            model.put(m, s);
        }
        check(model, z);
        List<El> l = model.list();
        int[] k = {0};
        z.visit(1234, false, (m, s) -> {
            assertEquals(l.get(1234 + k[0]).member(), new String(m, StandardCharsets.ISO_8859_1));
            return ++k[0] < 10;
        });
        assertEquals(10, k[0]);
        long[] seen = {0};
        long cursor = 0;
        do {
            cursor = z.scan(cursor, (m, s) -> {
                seen[0]++;
                return true;
            });
        } while (cursor != 0);
        assertEquals(model.scores.size(), seen[0]);
    }

    @Test
    void memberIndexFollowsNodesThatMoveOnScoreChange() {
        ZSetValue z = ZSetValue.create(KEY, 1000, 8, ZSetLimits.DEFAULTS);
        double[] out = new double[1];
        for (int i = 0; i < 1000; i++) {
            z.add(b("m" + i), i, 0, out, ZSetLimits.DEFAULTS);
        }
        // moves "m10" from rank 10 to the end (a new node), then back to the front, then in place
        assertEquals(ZSetValue.OUT_UPDATED, z.add(b("m10"), 5000, 0, out, ZSetLimits.DEFAULTS));
        assertEquals(999, z.rank(b("m10")));
        assertEquals(5000.0, z.score(b("m10")));
        assertEquals(ZSetValue.OUT_UPDATED, z.add(b("m10"), -1, ZSetValue.IN_INCR, out, ZSetLimits.DEFAULTS));
        assertEquals(4999.0, z.score(b("m10")));
        assertEquals(ZSetValue.OUT_UPDATED, z.add(b("m10"), -10, 0, out, ZSetLimits.DEFAULTS));
        assertEquals(0, z.rank(b("m10")));
        assertEquals(-10.0, z.score(b("m10")));
        assertEquals(ZSetValue.OUT_UPDATED, z.add(b("m10"), -9.5, 0, out, ZSetLimits.DEFAULTS));
        assertEquals(0, z.rank(b("m10")));
        long[] seen = {0};
        long cursor = 0;
        do {
            cursor = z.scan(cursor, (m, s0) -> {
                assertEquals(z.score(m), s0);
                seen[0]++;
                return true;
            });
        } while (cursor != 0);
        assertEquals(1000, seen[0]);
        assertTrue(z.remove(b("m10")));
        assertTrue(Double.isNaN(z.score(b("m10"))));
        assertEquals(-1, z.rank(b("m10")));
        assertEquals(999, z.size());
        assertEquals(0, z.rank(b("m0")));
    }
}
