package dev.peregrine.storage;

import java.util.SplittableRandom;

/**
 * The entries of one database that have an expiry, held by identity, so the active expire cycle samples only
 * keys that can expire (Redis keeps its {@code expires} dict for the same reason). Costs about 8 bytes per volatile
 * key: the expiry time itself lives in the entry.
 *
 * <p>Open addressing on {@link System#identityHashCode}, linear probing, tombstones; grows and shrinks by a full
 * rebuild (it holds only references, so a rebuild is a short copy). Executor-only.
 */
final class VolatileSet {
    private static final Object TOMBSTONE = KeyTable.TOMBSTONE;
    private Object[] slots = new Object[16];
    private int used;
    private int tombstones;

    int size() {
        return used;
    }

    void add(Object entry) {
        if ((used + tombstones + 1) * 4L > slots.length * 3L) {
            resize(KeyTable.capacityFor((used + 1) * 2L));
        }
        int mask = slots.length - 1;
        int i = mix(entry) & mask;
        int free = -1;
        while (slots[i] != null) {
            if (slots[i] == entry) {
                return;
            }
            if (slots[i] == TOMBSTONE && free < 0) {
                free = i;
            }
            i = (i + 1) & mask;
        }
        if (free >= 0) {
            tombstones--;
            i = free;
        }
        slots[i] = entry;
        used++;
    }

    boolean remove(Object entry) {
        int mask = slots.length - 1;
        int i = mix(entry) & mask;
        while (slots[i] != null) {
            if (slots[i] == entry) {
                slots[i] = TOMBSTONE;
                used--;
                tombstones++;
                if (slots.length > 16 && used < slots.length / 8) {
                    resize(KeyTable.capacityFor(used * 2L));
                }
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    void clear() {
        slots = new Object[16];
        used = 0;
        tombstones = 0;
    }

    /** A random member, or null when empty. */
    Object random(SplittableRandom random) {
        if (used == 0) {
            return null;
        }
        int mask = slots.length - 1;
        int i = random.nextInt(slots.length);
        while (true) {
            Object o = slots[i];
            if (o != null && o != TOMBSTONE) {
                return o;
            }
            i = (i + 1) & mask;
        }
    }

    private void resize(int capacity) {
        Object[] old = slots;
        slots = new Object[capacity];
        used = 0;
        tombstones = 0;
        int mask = capacity - 1;
        for (Object o : old) {
            if (o != null && o != TOMBSTONE) {
                int i = mix(o) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = o;
                used++;
            }
        }
    }

    private static int mix(Object o) {
        int h = System.identityHashCode(o);
        return h ^ (h >>> 16);
    }
}
