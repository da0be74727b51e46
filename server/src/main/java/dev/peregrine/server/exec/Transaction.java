package dev.peregrine.server.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * The MULTI state of one client (Redis's {@code multiState} plus the MULTI and DIRTY_EXEC flags): the commands
 * queued since MULTI, whether one was rejected while queuing, and whether one writes (CLIENT PAUSE WRITE then
 * holds the EXEC). Exists from MULTI until EXEC or DISCARD has finished. Executor-only.
 */
public final class Transaction {
    private final ArrayList<byte[][]> queued = new ArrayList<>();
    /** Redis's CLIENT_DIRTY_EXEC: a command was rejected while queuing, so EXEC answers EXECABORT. */
    boolean dirtyExec;
    /** Some queued command has the write or may_replicate flag. */
    boolean writes;
    /** EXEC is running the queued commands (they run instead of being queued, and may not block). */
    boolean executing;
    /** Bytes of the queued arguments (CLIENT LIST multi-mem, approximately). */
    private long argvBytes;

    void queue(byte[][] argv, boolean write) {
        queued.add(argv);
        writes |= write;
        for (byte[] a : argv) {
            argvBytes += a.length;
        }
    }

    /** The queued requests, in order. */
    public List<byte[][]> queued() {
        return queued;
    }

    /** Whether a command was rejected while queuing. */
    public boolean dirtyExec() {
        return dirtyExec;
    }

    /** Whether EXEC is running the queued commands now. */
    public boolean executing() {
        return executing;
    }

    /** Marks the queued commands as running (EXEC); from here on they may not block. */
    public void startExecuting() {
        executing = true;
    }

    /** Approximate bytes held by the queue (CLIENT LIST multi-mem): arguments plus per-command overhead. */
    public long memory() {
        return argvBytes + queued.size() * 16L * 2;
    }
}
