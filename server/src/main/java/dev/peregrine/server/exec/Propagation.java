package dev.peregrine.server.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Carries the effects of writes to the AOF and to replicas, in the shape Redis 7.2 propagates them.
 *
 * <p>A command that changed the dataset (its call raised the dirty counter) is propagated as it was called, or
 * as the form it chose with {@code CommandContext.propagateAs} (e.g. {@code SET k v EX 10} as
 * {@code SET k v PXAT <ms>}); a command may add further operations ({@code alsoPropagate}, e.g. the SREMs of
 * {@code SPOP key count}) or suppress its own. The operations of one execution unit (a top-level command, an
 * EXEC, a script) are held until the unit ends and then handed to the sinks, wrapped in {@code MULTI}/
 * {@code EXEC} when there are more than one. Keys deleted by expiry are propagated at once, on their own, as
 * {@code DEL} (or {@code UNLINK} with {@code lazyfree-lazy-expire yes}).
 *
 * <p>Each sink keeps its own selected database and emits {@code SELECT} when an operation's database differs;
 * {@code MULTI} carries the database of the first operation of its unit, {@code EXEC} none (-1), as Redis does.
 * Nothing is collected while no sink is attached.
 *
 * <p>Executor-only, except {@link #addSink}/{@link #removeSink}, which may be called from any thread.
 */
public final class Propagation {

    /** Receives propagated operations, in order, on the executor thread. */
    public interface Sink {
        /**
         * @param db   the database the operation applies to, or -1 for {@code MULTI}-less markers ({@code EXEC})
         *             that need no {@code SELECT}
         * @param argv the command and its arguments; the sink must not keep or change the arrays
         */
        void propagate(int db, byte[][] argv);

        /** Called once the operations of an execution unit were all handed over (a good moment to flush). */
        default void unitEnd() {
        }

        /** What this sink is: {@link #TARGET_AOF} or {@link #TARGET_REPLICAS} (an operation names its targets). */
        default int target() {
            return TARGET_ALL;
        }
    }

    /** Targets of an operation, as Lua's {@code redis.set_repl} names them: REPL_AOF. */
    public static final int TARGET_AOF = 1;
    /** REPL_REPLICA (REPL_SLAVE). */
    public static final int TARGET_REPLICAS = 2;
    /** REPL_ALL. */
    public static final int TARGET_ALL = 3;

    static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};

    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private volatile boolean active;
    private final ArrayList<Object> pending = new ArrayList<>(); // triples: Integer db, byte[][] argv, Integer targets
    private int depth;
    /** The client whose top-level call makes the current execution unit, or null (cron work). */
    private Client unitClient;

    /** Attaches a sink; it receives the operations of units that end after this call. Any thread. */
    public void addSink(Sink sink) {
        sinks.add(sink);
        active = true;
    }

    /** Detaches a sink. Any thread. */
    public void removeSink(Sink sink) {
        sinks.remove(sink);
        active = !sinks.isEmpty();
    }

    /** Whether any sink is attached: when not, nothing needs building. */
    public boolean active() {
        return active;
    }

    /** Marks the start of a (possibly nested) call of {@code client}; the outermost opens an execution unit. */
    void enter(Client client) {
        if (depth++ == 0) {
            unitClient = client;
        }
    }

    /** Marks the end of a call; the outermost flushes the unit's operations. */
    void exit() {
        if (--depth == 0) {
            if (!pending.isEmpty()) {
                flushPending();
            }
            unitClient = null;
        }
    }

    /**
     * While sinks receive a unit ({@link Sink#unitEnd} included): the client whose command made it, or null for
     * work of the server's own (expiry from the cron). Lets replication note a client's last write offset (WAIT).
     */
    public Client unitClient() {
        return unitClient;
    }

    /** Adds an operation to the current execution unit (or sends it at once outside any). */
    public void add(int db, byte[][] argv) {
        if (!active) {
            return;
        }
        if (depth == 0) {
            now(db, argv);
            return;
        }
        pending.add(db);
        pending.add(argv);
        pending.add(TARGET_ALL);
    }

    /** Sends one operation at once, on its own (expiry deletions, cron work). */
    public void now(int db, byte[][] argv) {
        if (!active) {
            return;
        }
        for (Sink s : sinks) {
            s.propagate(db, argv);
            s.unitEnd();
        }
    }

    /** A mark of the operations collected so far in this unit, for {@link #dropSince}. Executor-only. */
    public int mark() {
        return pending.size();
    }

    /**
     * Drops the operations added since {@code mark} (a script's writes under {@code redis.set_repl(REPL_NONE)}).
     * Executor-only.
     */
    /**
     * Limits the operations added since {@code mark} to {@code targets} (a script's {@code redis.set_repl}:
     * REPL_AOF, REPL_REPLICA, or none).
     */
    public void restrictSince(int mark, int targets) {
        for (int i = mark; i + 2 < pending.size(); i += 3) {
            pending.set(i + 2, (Integer) pending.get(i + 2) & targets);
        }
    }

    public void dropSince(int mark) {
        while (pending.size() > mark) {
            pending.remove(pending.size() - 1);
        }
    }

    private void flushPending() {
        for (Sink s : sinks) {
            int target = s.target();
            int n = 0;
            int first = -1;
            for (int i = 0; i < pending.size(); i += 3) {
                if (((Integer) pending.get(i + 2) & target) != 0) {
                    if (first < 0) {
                        first = i;
                    }
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            boolean transaction = n > 1;
            if (transaction) {
                s.propagate((Integer) pending.get(first), MULTI);
            }
            for (int i = first; i < pending.size(); i += 3) {
                if (((Integer) pending.get(i + 2) & target) != 0) {
                    s.propagate((Integer) pending.get(i), (byte[][]) pending.get(i + 1));
                }
            }
            if (transaction) {
                s.propagate(-1, EXEC);
            }
            s.unitEnd();
        }
        pending.clear();
    }
}
