package dev.peregrine.server.command.zset;

import dev.peregrine.storage.zset.ScoreRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoresTest {
    private static double score(String s) {
        return Scores.parseScore(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void scoresFollowString2d() {
        assertEquals(1.5, score("1.5"));
        assertEquals(-2.25, score("-2.25"));
        assertEquals(16, score("0x10"));
        assertEquals(12, score("0x1.8p3"));
        assertEquals(Double.POSITIVE_INFINITY, score("inf"));
        assertEquals(Double.POSITIVE_INFINITY, score("+Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, score("-INF"));
        assertEquals(100, score("1e2"));
        assertEquals(0.5, score(".5"));
        assertEquals(1, score("1."));
        assertEquals(4.9e-324, score("4.9e-324"));
        for (String bad : new String[] {"", " 1", "1 ", "nan", "NaN", "1e400", "-1e400", "1e-400", "abc", "1e",
                                        "0x", "--1", "1.5.2", "inf1", "1d", "0x1p"}) {
            assertTrue(Double.isNaN(score(bad)), bad);
        }
        assertEquals(0, score("0e-400"));
    }

    @Test
    void rangesFollowStrtod() {
        ScoreRange r = Scores.parseRange("(1".getBytes(), " 2".getBytes());
        assertEquals(new ScoreRange(1, 2, true, false), r);
        assertEquals(new ScoreRange(0, 0, true, false), Scores.parseRange("(".getBytes(), "".getBytes()));
        assertEquals(Double.POSITIVE_INFINITY, Scores.parseRange("1e400".getBytes(), "1".getBytes()).min());
        assertNull(Scores.parseRange("a".getBytes(), "1".getBytes()));
        assertNull(Scores.parseRange("nan".getBytes(), "1".getBytes()));
        assertNull(Scores.parseRange("1".getBytes(), "1 ".getBytes()));
        assertNull(Scores.parseRange(" ".getBytes(), "1".getBytes()));
        assertNull(Scores.parseRange("[1".getBytes(), "1".getBytes()));
    }
}
