package dev.peregrine.server.command.debug;

import dev.peregrine.server.command.RealRedis;
import dev.peregrine.server.command.Resp;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link RdbLength} against the serializedlength redis-server reports for the same strings. */
class RdbLengthTest {
    private static final Pattern LENGTH = Pattern.compile("serializedlength:(\\d+)");

    private static List<String> samples() {
        List<String> out = new ArrayList<>(List.of("", "a", "0", "-1", "127", "128", "-128", "-129", "32767",
                "32768", "2147483647", "2147483648", "-2147483648", "007", "12345678901", "hello world",
                "x".repeat(20), "x".repeat(21), "x".repeat(100), "x".repeat(300), "x".repeat(20000),
                "abcabcabcabcabcabcabcabc", "The quick brown fox jumps over the lazy dog. ".repeat(9),
                "value:1" + "\0".repeat(40)));
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : new int[] {21, 22, 25, 30, 44, 45, 64, 100, 500, 4000, 9000}) {
            StringBuilder random = new StringBuilder();
            StringBuilder lowEntropy = new StringBuilder();
            for (int i = 0; i < n; i++) {
                random.append((char) rnd.nextInt(32, 127));
                lowEntropy.append((char) ('a' + rnd.nextInt(3)));
            }
            out.add(random.toString());
            out.add(lowEntropy.toString());
        }
        return out;
    }

    @Test
    void matchesRedisSerializedLength() throws Exception {
        try (RealRedis redis = RealRedis.start(); Socket s = redis.socket()) {
            for (String v : samples()) {
                Resp.call(s, "SET", "k", v);
                String line = Resp.call(s, "DEBUG", "OBJECT", "k");
                Matcher m = LENGTH.matcher(line);
                assertEquals(true, m.find(), line);
                byte[] b = v.getBytes(StandardCharsets.ISO_8859_1);
                assertEquals(Long.parseLong(m.group(1)), RdbLength.string(b, 0, b.length, true),
                        "length " + v.length() + ": " + v.substring(0, Math.min(40, v.length())));
            }
        }
    }

    @Test
    void withoutCompressionIsPrefixPlusBytes() {
        byte[] b = "x".repeat(100).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(2 + 100, RdbLength.string(b, 0, b.length, false));
        assertEquals(1 + 5, RdbLength.string("hello".getBytes(StandardCharsets.ISO_8859_1), 0, 5, false));
    }
}
