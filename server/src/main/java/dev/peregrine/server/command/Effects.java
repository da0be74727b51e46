package dev.peregrine.server.command;

import dev.peregrine.storage.Numbers;

import java.nio.charset.StandardCharsets;

/**
 * The command names and options that rewritten commands are propagated with (the exact words Redis 7.2 puts in
 * the AOF and the replication stream: {@code SET k v PXAT <ms>}, {@code PEXPIREAT}, {@code SREM}, ...), shared
 * so a rewrite allocates only its arguments. The arrays are never changed.
 */
public final class Effects {
    public static final byte[] SET = bytes("SET");
    public static final byte[] PXAT = bytes("PXAT");
    public static final byte[] KEEPTTL = bytes("KEEPTTL");
    public static final byte[] PEXPIREAT = bytes("PEXPIREAT");
    public static final byte[] PERSIST = bytes("PERSIST");
    public static final byte[] DEL = bytes("DEL");
    public static final byte[] UNLINK = bytes("UNLINK");
    public static final byte[] HSET = bytes("HSET");
    public static final byte[] SREM = bytes("SREM");
    public static final byte[] LPOP = bytes("LPOP");
    public static final byte[] RPOP = bytes("RPOP");
    public static final byte[] LMOVE = bytes("LMOVE");
    public static final byte[] RPOPLPUSH = bytes("RPOPLPUSH");
    public static final byte[] ZPOPMIN = bytes("ZPOPMIN");
    public static final byte[] ZPOPMAX = bytes("ZPOPMAX");

    private Effects() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A long as its decimal text, as Redis prints integers. */
    public static byte[] number(long v) {
        return Numbers.toBytes(v);
    }

    /** {@code DEL} or {@code UNLINK}, by a {@code lazyfree-lazy-*} setting. */
    public static byte[] delete(boolean lazy) {
        return lazy ? UNLINK : DEL;
    }
}
