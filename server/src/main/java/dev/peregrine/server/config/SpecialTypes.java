package dev.peregrine.server.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The directives with a syntax of their own (Redis's special configs). Stateless; any thread. */
final class SpecialTypes {
    private SpecialTypes() {
    }

    private static List<String> words(String[] args) {
        List<String> words = new ArrayList<>();
        for (String a : args) {
            for (String w : a.trim().split("[ \t]+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    /** Base for multi-argument directives whose value prints as its words joined by spaces. */
    private abstract static class MultiArg<T> implements ConfigType<T> {
        @Override
        public boolean multiArg() {
            return true;
        }
    }

    /** {@code bind addr [addr ...]}: up to 16 addresses kept as one space-separated string. */
    static ConfigType<String> bind() {
        return new MultiArg<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                List<String> w = words(args);
                if (w.size() > 16) {
                    throw new ConfigException("Too many bind addresses specified.");
                }
                return String.join(" ", w);
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    /** {@code replicaof <host> <port>} or {@code replicaof no one}; the value is {@code "host port"} or "". */
    static ConfigType<String> replicaof() {
        return new MultiArg<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                List<String> w = words(args);
                if (w.isEmpty()) {
                    return "";
                }
                if (w.size() != 2) {
                    throw new ConfigException("wrong number of arguments");
                }
                if (w.get(0).equalsIgnoreCase("no") && w.get(1).equalsIgnoreCase("one")) {
                    return "";
                }
                long port;
                try {
                    port = Long.parseLong(w.get(1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535) {
                    throw new ConfigException("Invalid master port");
                }
                return w.get(0) + " " + port;
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    /**
     * {@code save <seconds> <changes> [...]}: pairs of a period of at least 1 s and a change count of at least 0,
     * or {@code save ""} for none. The value is the pairs joined by spaces, "" for none.
     */
    static ConfigType<String> save() {
        return new MultiArg<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                if (args.length == 1 && args[0].isEmpty()) {
                    return "";
                }
                List<String> w = words(args);
                if (w.size() % 2 != 0) {
                    throw new ConfigException("Invalid save parameters");
                }
                List<String> out = new ArrayList<>();
                for (int i = 0; i < w.size(); i++) {
                    long v;
                    try {
                        v = Types.parseInteger(w.get(i));
                    } catch (ConfigException e) {
                        throw new ConfigException("Invalid save parameters");
                    }
                    if ((i % 2 == 0 && v < 1) || v < 0) {
                        throw new ConfigException("Invalid save parameters");
                    }
                    out.add(Long.toString(v));
                }
                return String.join(" ", out);
            }

            @Override
            public String format(String value) {
                return value;
            }

            @Override
            public List<String> rewrite(String value) {
                if (value.isEmpty()) {
                    return List.of("\"\"");
                }
                String[] w = value.split(" ");
                List<String> lines = new ArrayList<>();
                for (int i = 0; i + 1 < w.length; i += 2) {
                    lines.add(w[i] + " " + w[i + 1]);
                }
                return lines;
            }
        };
    }

    /** The client classes of {@code client-output-buffer-limit}, in the order Redis prints them. */
    static final String[] BUFFER_CLASSES = {"normal", "slave", "pubsub"};
    /** Redis's default limits: hard bytes, soft bytes, soft seconds per class. */
    static final long[] BUFFER_DEFAULTS = {0, 0, 0, 256L << 20, 64L << 20, 60, 32L << 20, 8L << 20, 60};

    /**
     * {@code client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [...]}: each group changes the limits
     * of one class ({@code normal}, {@code replica}/{@code slave}, {@code pubsub}), the others keep their current
     * value. The value is a {@code long[9]}: hard, soft, seconds for normal, slave, pubsub.
     */
    static ConfigType<long[]> clientOutputBufferLimit() {
        return new MultiArg<>() {
            @Override
            public long[] parse(String[] args) throws ConfigException {
                return parse(args, BUFFER_DEFAULTS);
            }

            @Override
            public long[] parse(String[] args, long[] current) throws ConfigException {
                List<String> w = words(args);
                if (w.size() % 4 != 0) {
                    throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
                }
                long[] next = current.clone();
                for (int i = 0; i < w.size(); i += 4) {
                    String cls = w.get(i).toLowerCase(Locale.ROOT);
                    int at;
                    switch (cls) {
                        case "normal": at = 0; break;
                        case "slave": case "replica": at = 3; break;
                        case "pubsub": at = 6; break;
                        default:
                            throw new ConfigException("Invalid client class specified in buffer limit configuration.");
                    }
                    long hard = Types.parseMemory(w.get(i + 1));
                    long soft = Types.parseMemory(w.get(i + 2));
                    long secs;
                    try {
                        secs = Types.parseInteger(w.get(i + 3));
                    } catch (ConfigException e) {
                        secs = -1;
                    }
                    if (hard == Long.MIN_VALUE || soft == Long.MIN_VALUE || secs < 0) {
                        throw new ConfigException(
                                "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                    }
                    next[at] = hard;
                    next[at + 1] = soft;
                    next[at + 2] = secs;
                }
                return next;
            }

            @Override
            public String format(long[] v) {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < 3; c++) {
                    if (c > 0) {
                        sb.append(' ');
                    }
                    sb.append(BUFFER_CLASSES[c]).append(' ').append(v[c * 3]).append(' ').append(v[c * 3 + 1])
                      .append(' ').append(v[c * 3 + 2]);
                }
                return sb.toString();
            }

            /** One line per class that differs from Redis's default, sizes with units. */
            @Override
            public List<String> rewrite(long[] v) {
                List<String> lines = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    if (v[c * 3] != BUFFER_DEFAULTS[c * 3] || v[c * 3 + 1] != BUFFER_DEFAULTS[c * 3 + 1]
                        || v[c * 3 + 2] != BUFFER_DEFAULTS[c * 3 + 2]) {
                        lines.add(BUFFER_CLASSES[c] + " " + Types.formatMemory(v[c * 3]) + " "
                                  + Types.formatMemory(v[c * 3 + 1]) + " " + v[c * 3 + 2]);
                    }
                }
                return lines;
            }
        };
    }

    /** {@code oom-score-adj-values <master> <replica> <bgchild>}: three integers in [-2000, 2000]. */
    static ConfigType<String> oomScoreAdjValues() {
        return new MultiArg<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                List<String> w = words(args);
                if (w.size() != 3) {
                    throw new ConfigException("wrong number of arguments");
                }
                List<String> out = new ArrayList<>();
                for (String s : w) {
                    long v;
                    try {
                        v = Long.parseLong(s);
                    } catch (NumberFormatException e) {
                        v = Long.MAX_VALUE;
                    }
                    if (v < -2000 || v > 2000) {
                        throw new ConfigException(
                                "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
                    }
                    out.add(Long.toString(v));
                }
                return String.join(" ", out);
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    /** {@code latency-tracking-info-percentiles <p> [<p> ...]}: numbers in [0, 100], printed without zeros. */
    static ConfigType<String> percentiles() {
        return new MultiArg<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                List<String> out = new ArrayList<>();
                for (String s : words(args)) {
                    double v;
                    try {
                        v = Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
                    }
                    if (!(v >= 0.0 && v <= 100.0)) {
                        throw new ConfigException(
                                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
                    }
                    String t = new BigDecimal(String.format(Locale.ROOT, "%f", v)).stripTrailingZeros()
                            .toPlainString();
                    out.add(t);
                }
                return String.join(" ", out);
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    /**
     * {@code shutdown-on-sigint}/{@code shutdown-on-sigterm}: {@code default} or any of {@code save nosave now
     * force}, printed in that order.
     */
    static ConfigType<String> shutdownFlags() {
        String[] names = {"default", "save", "nosave", "now", "force"};
        return new MultiArg<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                boolean[] on = new boolean[names.length];
                List<String> w = words(args);
                if (w.isEmpty()) {
                    throw new ConfigException("argument(s) must be one of the following: "
                                              + String.join(", ", names));
                }
                for (String s : w) {
                    int i = Arrays.asList(names).indexOf(s.toLowerCase(Locale.ROOT));
                    if (i < 0) {
                        throw new ConfigException("argument(s) must be one of the following: "
                                                  + String.join(", ", names));
                    }
                    on[i] = true;
                }
                if (on[1] && on[2]) {
                    throw new ConfigException("shutdown options SAVE and NOSAVE can't be used simultaneously");
                }
                List<String> out = new ArrayList<>();
                for (int i = 1; i < names.length; i++) {
                    if (on[i]) {
                        out.add(names[i]);
                    }
                }
                return out.isEmpty() ? "default" : String.join(" ", out);
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    /** Keyspace event classes, as Redis prints them. */
    private static final String ALL_CLASSES = "g$lshzxetd";

    /**
     * {@code notify-keyspace-events}: a set of class characters ({@code A} = {@code g$lshzxetd}, plus {@code K E
     * m n}). The value kept is the canonical form with {@code n} always present when set; it is printed as Redis
     * prints it: {@code A} when all classes are on (and then, as Redis, without {@code n}, which stays in
     * effect), else the classes in order followed by {@code n}, then {@code K E m}.
     */
    static ConfigType<String> notifyKeyspaceEvents() {
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                String s = args[0];
                StringBuilder set = new StringBuilder();
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == 'A') {
                        set.append(ALL_CLASSES);
                    } else if ((ALL_CLASSES + "KEmn").indexOf(c) >= 0) {
                        set.append(c);
                    } else {
                        throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    }
                }
                String has = set.toString();
                StringBuilder out = new StringBuilder();
                boolean all = true;
                for (char c : ALL_CLASSES.toCharArray()) {
                    all &= has.indexOf(c) >= 0;
                }
                if (all) {
                    out.append('A');
                } else {
                    for (char c : ALL_CLASSES.toCharArray()) {
                        if (has.indexOf(c) >= 0) {
                            out.append(c);
                        }
                    }
                }
                for (char c : "nKEm".toCharArray()) {
                    if (has.indexOf(c) >= 0) {
                        out.append(c);
                    }
                }
                return out.toString();
            }

            @Override
            public String format(String value) {
                return value.startsWith("A") ? value.replace("n", "") : value;
            }

            @Override
            public List<String> rewrite(String value) {
                return List.of(Types.quote(format(value)));
            }
        };
    }

    /**
     * {@code dir}: the working directory for persistence files, kept as an absolute path; a relative path is
     * taken from the current {@code dir}, as Redis's {@code chdir}. The directory must exist.
     */
    static ConfigType<String> dir() {
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                return parse(args, null);
            }

            @Override
            public String parse(String[] args, String current) throws ConfigException {
                java.nio.file.Path base = current == null ? java.nio.file.Path.of("").toAbsolutePath()
                        : java.nio.file.Path.of(current);
                java.nio.file.Path p;
                try {
                    p = base.resolve(args[0]).toAbsolutePath().normalize();
                } catch (java.nio.file.InvalidPathException e) {
                    throw new ConfigException("No such file or directory");
                }
                if (!java.nio.file.Files.exists(p)) {
                    throw new ConfigException("No such file or directory");
                }
                if (!java.nio.file.Files.isDirectory(p)) {
                    throw new ConfigException("Not a directory");
                }
                return p.toString();
            }

            @Override
            public String format(String value) {
                return value;
            }

            @Override
            public List<String> rewrite(String value) {
                return List.of(Types.quote(value));
            }
        };
    }
}
