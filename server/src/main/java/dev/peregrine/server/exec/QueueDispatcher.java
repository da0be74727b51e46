package dev.peregrine.server.exec;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.jctools.queues.MpscArrayQueue;

import java.util.List;

/**
 * Queue mode: a dedicated executor thread, an Agrona {@link Agent}, fed by the I/O threads through one JCTools
 * {@link MpscArrayQueue}. Each item is one read's worth of requests of one client (or a connect/disconnect
 * notice), so a pipeline crosses threads once and its replies go back with one flush. Idle, the executor backs
 * off from spinning to parking ({@link BackoffIdleStrategy}).
 *
 * <p>Ordering: a client's items enter the queue from its single I/O thread in order, and the single consumer
 * runs them in queue order, so replies keep request order per connection. Back-pressure: when the queue is
 * full, the offering I/O thread waits, which stops it reading more.
 */
public final class QueueDispatcher implements Dispatcher {
    private static final int QUEUE_CAPACITY = 1 << 16;
    private static final Object CONNECT = new Object();
    private static final Object DISCONNECT = new Object();

    private final Engine engine;
    private final BatchRunner runner;
    private final MpscArrayQueue<Item> queue = new MpscArrayQueue<>(QUEUE_CAPACITY);
    private final AgentRunner agentRunner;
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> later =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ExecutorAgent agent = new ExecutorAgent();
    /**
     * Items taken from the queue while a script was busy that must wait for its end: the script caller's own
     * requests, executor tasks, and anything of a client that already has items here. Executor-only.
     */
    private final java.util.ArrayDeque<Item> heldBack = new java.util.ArrayDeque<>();

    private static final class Item {
        final Client client;
        final Object payload;

        Item(Client client, Object payload) {
            this.client = client;
            this.payload = payload;
        }
    }

    public QueueDispatcher(Engine engine) {
        this.engine = engine;
        this.runner = new BatchRunner(engine);
        this.agentRunner = new AgentRunner(
                new BackoffIdleStrategy(100, 10, 1_000, 1_000_000),
                e -> org.slf4j.LoggerFactory.getLogger(QueueDispatcher.class).error("Executor error", e),
                null, agent);
        // a busy script holds the executor: serve the queue from its hook (others get -BUSY, KILL works)
        engine.busyPoller(() -> queue.drain(this::runWhileBusy, 256));
    }

    private void runWhileBusy(Item item) {
        Client caller = engine.executingClient();
        if (item.client == null || item.client == caller || heldFor(item.client)) {
            heldBack.add(item);
            return;
        }
        agent.runNow(item);
    }

    private boolean heldFor(Client client) {
        for (Item i : heldBack) {
            if (i.client == client) {
                return true;
            }
        }
        return false;
    }

    /** Runs what waited for a busy script's end, in arrival order, before anything newer. */
    private void releaseHeldBack() {
        Item i;
        while (!engine.scriptRunning() && (i = heldBack.poll()) != null) {
            agent.runNow(i);
        }
    }

    private final class ExecutorAgent implements Agent {
        @Override
        public int doWork() {
            if (!heldBack.isEmpty()) {
                releaseHeldBack();
            }
            int work = queue.drain(this::run, 1024);
            // background slices queued before this turn: one each, those they queue wait for the next turn
            for (int n = later.size(); n > 0; n--) {
                Runnable r = later.poll();
                if (r == null) {
                    break;
                }
                r.run();
                work++;
            }
            long now = System.currentTimeMillis();
            if (engine.cronIfDue(now)) {
                work++;
            }
            // blocking time-outs at the loop's granularity (the idle strategy parks at most 1 ms)
            engine.handleBlockedTimeouts(now);
            engine.processUnblocked();
            return work;
        }

        private void run(Item item) {
            if (!heldBack.isEmpty()) {
                releaseHeldBack(); // older than this item
            }
            runNow(item);
        }

        @SuppressWarnings("unchecked")
        void runNow(Item item) {
            if (item.client == null) {
                ((Runnable) item.payload).run();
            } else if (item.payload == CONNECT) {
                engine.onConnect(item.client);
            } else if (item.payload == DISCONNECT) {
                engine.onDisconnect(item.client);
            } else {
                runner.run(item.client, (List<Object>) item.payload);
            }
        }

        @Override
        public String roleName() {
            return "peregrine-executor";
        }
    }

    private void offer(Item item) {
        while (!queue.offer(item)) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void connected(Client client) {
        offer(new Item(client, CONNECT));
    }

    @Override
    public void dispatch(Client client, List<Object> requests) {
        offer(new Item(client, requests));
    }

    @Override
    public void disconnected(Client client) {
        client.closing = true;
        offer(new Item(client, DISCONNECT));
    }

    @Override
    public void execute(Runnable task) {
        offer(new Item(null, task));
    }

    @Override
    public void executeLater(Runnable task) {
        later.add(task);
    }

    @Override
    public void start() {
        AgentRunner.startOnThread(agentRunner);
    }

    @Override
    public void close() {
        agentRunner.close();
    }
}
