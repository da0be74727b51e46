package dev.peregrine.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The keyspace hash: MurmurHash3 x86_32 (Austin Appleby's public-domain algorithm) with a seed chosen at random
 * per process, so clients cannot pick keys that all collide, as Redis seeds its SipHash.
 *
 * <p>Stateless after class initialisation; any thread.
 */
public final class KeyHash {
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int SEED = new SecureRandom().nextInt();

    private KeyHash() {
    }

    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    public static int hash(byte[] b, int off, int len) {
        int h = SEED;
        int i = off;
        int end = off + (len & ~3);
        for (; i < end; i += 4) {
            int k = (int) INT_LE.get(b, i);
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (b[i + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (b[i + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= b[i] & 0xff;
                k *= 0xcc9e2d51;
                k = Integer.rotateLeft(k, 15);
                k *= 0x1b873593;
                h ^= k;
                // fall through
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
