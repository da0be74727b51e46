package dev.peregrine.persistence.aof;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofReaderTest {

    private static List<String> commands = new ArrayList<>();

    private static AofReader.Result read(String text) throws IOException {
        commands = new ArrayList<>();
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return new AofReader(new ByteArrayInputStream(b), 0, "f.aof").read((argv, end) -> {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : argv) {
                sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.ISO_8859_1));
            }
            commands.add(sb + "@" + end);
        });
    }

    @Test
    void readsCommandsAndSkipsAnnotations() throws IOException {
        String text = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n#TS:1700000000\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n";
        AofReader.Result r = read(text);
        assertFalse(r.truncated());
        assertEquals(text.length(), r.validLength());
        assertEquals(2, r.commands());
        assertEquals(List.of("SELECT 0@23", "SET k @" + text.length()), commands);
    }

    @Test
    void aCutCommandIsReportedAsTruncatedAtTheLastWholeOne() throws IOException {
        String whole = "*1\r\n$4\r\nPING\r\n";
        for (int cut = 1; cut < whole.length(); cut++) {
            AofReader.Result r = read(whole + whole.substring(0, cut));
            assertTrue(r.truncated(), "cut at " + cut);
            assertEquals(whole.length(), r.validLength());
            assertEquals(1, r.commands());
        }
    }

    @Test
    void garbageIsAFormatErrorNamingTheOffset() {
        for (String bad : new String[] {"*1\r\n$4\r\nPING\r\nxyz", "*0\r\n", "*1\r\n:4\r\n", "*1\r\n$-5\r\n",
                "*1\r\n$4\r\nPINGxx", "*a\r\n"}) {
            AofFormatException e = assertThrows(AofFormatException.class, () -> read(bad), bad);
            assertTrue(e.getMessage().contains("f.aof at offset"), e.getMessage());
        }
    }
}
