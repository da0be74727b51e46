package dev.peregrine.storage.stream;

/**
 * One pending entry of a consumer group (Redis's {@code streamNACK}): delivered but not acknowledged. The same
 * object sits in the group's PEL and in its owner's PEL. Executor-only.
 */
public final class Nack {
    /** Unix ms of the last delivery. */
    public long deliveryTime;
    /** How many times it was delivered. */
    public long deliveryCount;
    /** The consumer that owns it now. */
    public Consumer consumer;

    public Nack(Consumer consumer, long deliveryTime, long deliveryCount) {
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
    }
}
