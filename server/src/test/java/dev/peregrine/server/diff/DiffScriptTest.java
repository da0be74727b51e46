package dev.peregrine.server.diff;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffScriptTest {
    @Test
    void parsesCommandsDirectivesAndComments() {
        DiffScript s = DiffScript.parse("t.txt", List.of(
                "# comment", "", "  SET k \"a b\\x00\"  ", "@resp 3", "@flushall", "@ignore-reply INFO server",
                "ECHO 'it\\'s'"));
        assertEquals(5, s.steps.size());
        DiffScript.Step set = s.steps.get(0);
        assertEquals(3, set.line);
        assertEquals(DiffScript.Kind.COMMAND, set.kind);
        assertArrayEquals(new byte[] {'a', ' ', 'b', 0}, set.argv[2]);
        assertEquals(DiffScript.Kind.RESP, s.steps.get(1).kind);
        assertEquals(3, s.steps.get(1).resp);
        assertEquals(DiffScript.Kind.FLUSHALL, s.steps.get(2).kind);
        assertEquals(DiffScript.Kind.IGNORE_REPLY, s.steps.get(3).kind);
        assertEquals("server", new String(s.steps.get(3).argv[1], StandardCharsets.UTF_8));
        assertEquals("it's", new String(s.steps.get(4).argv[1], StandardCharsets.UTF_8));
    }

    @Test
    void rejectsMalformedLinesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiffScript.parse("t.txt", List.of("PING", "SET k \"open")));
        assertTrue(e.getMessage().startsWith("t.txt:2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DiffScript.parse("t.txt", List.of("@resp 4")));
        assertThrows(IllegalArgumentException.class, () -> DiffScript.parse("t.txt", List.of("@nosuch")));
    }

    @Test
    void escapeShowsControlBytes() {
        assertEquals("\"-ERR x\\r\\n\\x00\\xff\\\"\"",
                RawConnection.escape(new byte[] {'-', 'E', 'R', 'R', ' ', 'x', '\r', '\n', 0, (byte) 0xff, '"'}));
    }
}
