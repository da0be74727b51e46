package dev.peregrine.persistence.aof;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofManifestTest {

    @Test
    void parsesAndFormatsRedisManifests() throws Exception {
        String text = "file appendonly.aof.2.base.rdb seq 2 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n";
        AofManifest m = AofManifest.parse(text);
        assertEquals("appendonly.aof.2.base.rdb", m.base().name());
        assertEquals(List.of("appendonly.aof.2.incr.aof", "appendonly.aof.3.incr.aof"),
                m.incrs().stream().map(AofManifest.Entry::name).toList());
        assertEquals(3, m.lastIncrSeq());
        assertEquals(text, m.format());
        assertEquals(text.replace("file appendonly.aof.1.incr.aof seq 1 type h\n", ""),
                m.withoutHistory().format());
    }

    @Test
    void commentsBlankLinesUnknownKeysAndQuotedNamesAreRead() throws Exception {
        AofManifest m = AofManifest.parse("# a comment\n\nfile \"my file.aof\" seq 1 type i extra x\n");
        assertEquals("my file.aof", m.incrs().get(0).name());
        assertNull(m.base());
        assertEquals("file \"my file.aof\" seq 1 type i\n", m.format());
        assertEquals(m.incrs(), AofManifest.parse(m.format()).incrs());
    }

    @Test
    void aRewriteMovesTheOldFilesToHistory() {
        AofManifest m = new AofManifest(List.of(
                new AofManifest.Entry("a.1.base.rdb", 1, AofManifest.Type.BASE),
                new AofManifest.Entry("a.1.incr.aof", 1, AofManifest.Type.INCR),
                new AofManifest.Entry("a.2.incr.aof", 2, AofManifest.Type.INCR)));
        AofManifest r = m.rewritten(new AofManifest.Entry("a.2.base.rdb", 2, AofManifest.Type.BASE), 1);
        assertEquals("file a.2.base.rdb seq 2 type b\nfile a.1.base.rdb seq 1 type h\n"
                + "file a.1.incr.aof seq 1 type h\nfile a.2.incr.aof seq 2 type i\n", r.format());
    }

    @Test
    void badManifestsAreRefused() {
        for (String bad : new String[] {"file a seq 1\n", "file a seq x type i\n", "file a seq 1 type z\n",
                "file a.rdb seq 1 type b\nfile b.rdb seq 2 type b\n", "file a seq 2 type i\nfile b seq 1 type i\n",
                "file \"unterminated seq 1 type i\n", "file x/y seq 1 type i\n",
                "file " + "n".repeat(1100) + " seq 1 type i\n"}) {
            AofFormatException e = assertThrows(AofFormatException.class, () -> AofManifest.parse(bad), bad);
            assertTrue(e.getMessage().length() > 10);
        }
    }
}
