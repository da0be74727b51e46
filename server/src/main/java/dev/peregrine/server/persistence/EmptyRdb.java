package dev.peregrine.server.persistence;

import dev.peregrine.persistence.Crc64;
import dev.peregrine.server.exec.ServerInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An RDB file of an empty dataset (RDB v10: header, the AUX fields Redis writes, EOF and the CRC-64), used as the
 * base of a new AOF, which Redis always creates for an empty dataset.
 */
final class EmptyRdb {
    private EmptyRdb() {
    }

    static void write(Path file, boolean aofBase) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        aux(out, "redis-ver", ServerInfo.REDIS_VERSION);
        aux(out, "redis-bits", "64");
        aux(out, "ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux(out, "used-mem", Long.toString(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
        if (aofBase) {
            aux(out, "aof-base", "1");
        }
        out.write(0xFF);
        byte[] body = out.toByteArray();
        long crc = Crc64.update(0, body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        Files.write(file, out.toByteArray());
    }

    private static void aux(ByteArrayOutputStream out, String name, String value) {
        out.write(0xFA);
        string(out, name);
        string(out, value);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length); // every field here is shorter than 64 bytes: a 6-bit length
        out.writeBytes(b);
    }
}
