package dev.peregrine.storage.zset;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SkipListTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Model key: score then member, as the skiplist orders them (members are distinct decimal strings). */
    private static String k(double score, String member) {
        return String.format("%012.3f|%s", score + 1_000_000, member);
    }

    /** Checks every span: walking each level must count the level-0 positions exactly. */
    private static void checkSpans(SkipList list) throws Exception {
        List<SkipList.Node> order = new ArrayList<>();
        for (SkipList.Node n = list.first(); n != null; n = n.next()) {
            order.add(n);
        }
        assertEquals(list.length(), order.size());
        SkipList.Node prev = null;
        for (SkipList.Node n : order) {
            assertSame(prev, n.previous());
            prev = n;
            for (int lvl = 0; lvl < n.level(); lvl++) {
                SkipList.Node to = n.next(lvl);
                int from = order.indexOf(n);
                int expected = to == null ? order.size() - from : order.indexOf(to) - from;
                if (to != null) {
                    assertEquals(expected, n.span(lvl), "span level " + lvl);
                }
                assertTrue(to == null || to.level() > lvl);
            }
        }
        assertSame(order.isEmpty() ? null : order.get(order.size() - 1), list.last());
    }

    @Test
    void randomOpsKeepSpansRanksAndOrder() throws Exception {
        Random rnd = new Random(11);
        SkipList list = new SkipList();
        TreeMap<String, Object[]> model = new TreeMap<>();
        java.util.Map<String, Double> scores = new java.util.HashMap<>();
        for (int op = 0; op < 4000; op++) {
            String m = Integer.toString(100 + rnd.nextInt(300));
            double s = rnd.nextInt(50);
            Double old = scores.get(m);
            switch (rnd.nextInt(4)) {
                case 0, 1 -> {
                    if (old == null) {
                        list.insert(s, b(m));
                        scores.put(m, s);
                        model.put(k(s, m), new Object[] {s, m});
                    }
                }
                case 2 -> {
                    if (old != null) {
                        list.updateScore(old, b(m), s);
                        model.remove(k(old, m));
                        scores.put(m, s);
                        model.put(k(s, m), new Object[] {s, m});
                    }
                }
                default -> {
                    assertEquals(old != null, list.delete(old == null ? s : old, b(m)));
                    if (old != null) {
                        scores.remove(m);
                        model.remove(k(old, m));
                    }
                }
            }
            if (op % 200 == 0) {
                checkSpans(list);
                List<Object[]> expected = new ArrayList<>(model.values());
                for (int i = 0; i < expected.size(); i++) {
                    SkipList.Node n = list.byRank(i + 1);
                    assertEquals(expected.get(i)[1], new String(n.member(), StandardCharsets.ISO_8859_1));
                    assertEquals(i + 1, list.rank((Double) expected.get(i)[0], n.member()));
                }
                assertNull(list.byRank(expected.size() + 1));
                assertEquals(0, list.rank(-1, b("nope")));
            }
        }
        checkSpans(list);
        int before = list.length();
        List<String> removed = new ArrayList<>();
        list.deleteRangeByRank(3, 10, n -> removed.add(new String(n.member(), StandardCharsets.ISO_8859_1)));
        assertEquals(8, removed.size());
        assertEquals(before - 8, list.length());
        checkSpans(list);
    }
}
