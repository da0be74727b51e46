package dev.peregrine.server.exec;

import java.util.List;

/**
 * How requests decoded on an I/O thread reach the executor role, and how their replies come back. Two modes
 * share one command path ({@link Engine#process}):
 * <ul>
 *   <li>{@link QueueDispatcher}: a dedicated executor thread fed through a lock-free MPSC queue;</li>
 *   <li>{@link InlineDispatcher}: the single I/O thread runs the executor role itself, no hand-off.</li>
 * </ul>
 * Calls come from the connection's I/O thread.
 */
public interface Dispatcher {
    /**
     * The user event inline mode fires on a connection's pipeline while a script is busy: its handler reads what
     * the peer sent straight from the socket and dispatches it (the event loop itself is held by the script).
     */
    Object POLL_WHILE_BUSY = new Object();

    /** A connection was accepted. */
    void connected(Client client);

    /**
     * Requests decoded from one read, in order: each a {@code byte[][]} argv, the last possibly a
     * {@link dev.peregrine.protocol.ProtocolException} that ends the stream, or a {@link Runnable} the executor
     * runs once the requests before it ran (the handler's signal to resume decoding). The list is handed over.
     */
    void dispatch(Client client, List<Object> requests);

    /**
     * Whether {@link #dispatch} runs the requests before it returns, on the calling I/O thread (inline mode):
     * the caller may then reuse the list. The executor never keeps a reference to a dispatched list.
     */
    default boolean runsOnCallerThread() {
        return false;
    }

    /** The connection closed. */
    void disconnected(Client client);

    /**
     * Runs {@code task} on the executor, after what is already queued there (background work such as the slices
     * of a snapshot, or completions reported by other threads). Any thread.
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the executor once the client work already waiting there was done (a later turn of
     * the executor's loop), so background work that re-queues itself takes one slice per turn and never holds
     * clients back for more than one slice. Any thread.
     */
    void executeLater(Runnable task);

    /** Starts the executor role. */
    void start();

    /** Stops the executor role; returns once it stopped. */
    void close();
}
