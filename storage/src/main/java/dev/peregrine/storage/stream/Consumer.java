package dev.peregrine.storage.stream;

import java.util.TreeMap;

/**
 * A consumer of a group: its name, its own pending entries (shared {@link Nack}s with the group PEL), and when it
 * was last seen (any read or claim attempt) and last active (a successful delivery or claim). Executor-only.
 */
public final class Consumer {
    private final byte[] name;
    /** Unix ms of the last attempted interaction. */
    public long seenTime;
    /** Unix ms of the last successful interaction, or -1 when none yet. */
    public long activeTime = -1;
    /** Pending entries owned by this consumer, by ID. */
    public final TreeMap<StreamId, Nack> pel = new TreeMap<>();

    public Consumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }

    /** The name; callers must not modify it. */
    public byte[] name() {
        return name;
    }
}
