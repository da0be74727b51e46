package dev.peregrine.storage.stream;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * A consumer group (Redis's {@code streamCG}): the last delivered ID, the logical read counter, the pending
 * entries list (ID to {@link Nack}) and the consumers ordered by name bytes. Executor-only.
 */
public final class ConsumerGroup {
    /** The entries-read value meaning "unknown" (Redis's SCG_INVALID_ENTRIES_READ). */
    public static final long INVALID_ENTRIES_READ = -1;

    private final byte[] name;
    /** Last ID delivered to the group. */
    public StreamId lastId;
    /** Logical number of entries read, or {@link #INVALID_ENTRIES_READ}. */
    public long entriesRead;
    /** Pending entries of all consumers, by ID. */
    public final TreeMap<StreamId, Nack> pel = new TreeMap<>();
    /** Consumers by name (unsigned byte order, as Redis's rax). */
    public final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    public ConsumerGroup(byte[] name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    /** The name; callers must not modify it. */
    public byte[] name() {
        return name;
    }

    /** The consumer with this name, or null. */
    public Consumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** Creates a consumer; null when one with that name exists. */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) {
            return null;
        }
        Consumer c = new Consumer(name, now);
        consumers.put(name, c);
        return c;
    }

    /** Removes a consumer and its pending entries from the group PEL; returns how many it had, or -1 if absent. */
    public long deleteConsumer(byte[] name) {
        Consumer c = consumers.remove(name);
        if (c == null) {
            return -1;
        }
        for (StreamId id : c.pel.keySet()) {
            pel.remove(id);
        }
        return c.pel.size();
    }
}
