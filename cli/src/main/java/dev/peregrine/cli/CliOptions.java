package dev.peregrine.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * redis-cli's command line, parsed as redis-cli parses it: options come first, the first argument that does not
 * start with {@code -} begins the command; an option missing its value, or an unknown one, is an error.
 *
 * <p>Single-threaded (the CLI's main thread).
 */
final class CliOptions {
    /** Output forms: the terminal form, raw, CSV, JSON, quoted JSON. */
    enum Output { STANDARD, RAW, CSV, JSON, QUOTED_JSON }

    /** Options redis-cli has that this CLI does not implement yet (with how many values each takes). */
    private static final Set<String> UNSUPPORTED_0 = Set.of(
            "--ldb", "--ldb-sync-mode");
    private static final Set<String> UNSUPPORTED_1 = Set.of(
            "--tls-ciphers", "--tls-ciphersuites",
            "--cluster",
            "--cluster-only-masters", "--cluster-only-replicas", "--cluster-yes");

    String host = "127.0.0.1";
    int port = 6379;
    String socket;
    String auth;
    String user;
    boolean askpass;
    int db;
    /** 0 = no HELLO (RESP2 by default), 2 = -2, 3 = -3. */
    int resp;
    long repeat = 1;
    /** -i in microseconds. */
    long intervalMicros;
    boolean stdinLastArg;
    String stdinTag;
    byte[] bulkDelim = {'\n'};
    byte[] replyDelim = {'\n'};
    boolean setErrcode;
    boolean noAuthWarning;
    Output output;
    boolean quotedInput;
    Boolean showPushes;
    boolean pipe;
    int pipeTimeoutSeconds = 30;
    boolean scan;
    boolean bigkeys;
    long lruTestKeys;
    boolean tls;
    boolean tlsInsecure;
    String sni;
    String caCert;
    String caCertDir;
    String tlsCert;
    String tlsKey;
    boolean replica;
    long intrinsicLatencySeconds;
    String rdbFile;
    boolean functionsRdb;
    boolean stat;
    boolean clusterMode;
    boolean latency;
    boolean latencyHistory;
    /** --latency-dist. */
    boolean latencyDist;
    /** --mono: --latency-dist in grey shades. */
    boolean mono;
    boolean hotkeys;
    boolean memkeys;
    int memkeysSamples;
    byte[] pattern;
    int count;
    String evalFile;
    boolean version;
    boolean help;
    boolean verbose;
    /** The command and its arguments (what follows the options). */
    List<String> command = List.of();

    /** Thrown for a command line error: the message goes to stderr and the CLI exits with 1. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code args}; {@code tty} tells whether stdout is a terminal (it sets the default output form, which
     * {@code --raw}, {@code --no-raw}, {@code --csv}, {@code --json}, {@code --quoted-json} override, the last one
     * winning).
     */
    static CliOptions parse(String[] args, boolean tty) throws UsageError {
        CliOptions o = new CliOptions();
        o.output = tty ? Output.STANDARD : Output.RAW;
        boolean json = false;
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            boolean last = i == args.length - 1;
            switch (a) {
                case "-h":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.host = args[++i];
                    break;
                case "-p":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.port = atoi(args[++i]);
                    break;
                case "-s":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.socket = args[++i];
                    break;
                case "-a": case "--pass":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.auth = args[++i];
                    break;
                case "--user":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.user = args[++i];
                    break;
                case "--askpass":
                    o.askpass = true;
                    break;
                case "-u":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.parseUri(args[++i]);
                    break;
                case "-n":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.db = atoi(args[++i]);
                    break;
                case "-r":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.repeat = atol(args[++i]);
                    break;
                case "-i":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.intervalMicros = (long) (atof(args[++i]) * 1_000_000);
                    break;
                case "-2":
                    o.resp = 2;
                    break;
                case "-3":
                    o.resp = 3;
                    break;
                case "-x":
                    o.stdinLastArg = true;
                    break;
                case "-X":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.stdinTag = args[++i];
                    break;
                case "-d":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.bulkDelim = args[++i].getBytes(StandardCharsets.UTF_8);
                    break;
                case "-D":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.replyDelim = args[++i].getBytes(StandardCharsets.UTF_8);
                    break;
                case "-e":
                    o.setErrcode = true;
                    break;
                case "--no-auth-warning":
                    o.noAuthWarning = true;
                    break;
                case "--raw":
                    o.output = Output.RAW;
                    break;
                case "--no-raw":
                    o.output = Output.STANDARD;
                    break;
                case "--csv":
                    o.output = Output.CSV;
                    break;
                case "--json":
                    o.output = Output.JSON;
                    json = true;
                    break;
                case "--quoted-json":
                    o.output = Output.QUOTED_JSON;
                    json = true;
                    break;
                case "--quoted-input":
                    o.quotedInput = true;
                    break;
                case "--show-pushes": {
                    if (last) {
                        throw unrecognized(a);
                    }
                    String v = args[++i];
                    if (v.equalsIgnoreCase("yes")) {
                        o.showPushes = true;
                    } else if (v.equalsIgnoreCase("no")) {
                        o.showPushes = false;
                    } else {
                        throw new UsageError("Unknown --show-pushes value '" + v + "' (valid: '[y]es', '[n]o')");
                    }
                    break;
                }
                case "--pipe":
                    o.pipe = true;
                    break;
                case "--pipe-timeout":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.pipeTimeoutSeconds = atoi(args[++i]);
                    break;
                case "--bigkeys":
                    o.bigkeys = true;
                    break;
                case "--tls":
                    o.tls = true;
                    break;
                case "--insecure":
                    o.tlsInsecure = true;
                    break;
                case "--sni": case "--cacert": case "--cacertdir": case "--cert": case "--key": {
                    if (last) {
                        throw unrecognized(a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--sni": o.sni = v; break;
                        case "--cacert": o.caCert = v; break;
                        case "--cacertdir": o.caCertDir = v; break;
                        case "--cert": o.tlsCert = v; break;
                        default: o.tlsKey = v;
                    }
                    break;
                }
                case "-c":
                    o.clusterMode = true;
                    break;
                case "--rdb":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.rdbFile = args[++i];
                    break;
                case "--functions-rdb":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.rdbFile = args[++i];
                    o.functionsRdb = true;
                    break;
                case "--intrinsic-latency":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.intrinsicLatencySeconds = atoi(args[++i]);
                    break;
                case "--replica": case "--slave":
                    o.replica = true;
                    break;
                case "--lru-test":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.lruTestKeys = atol(args[++i]);
                    break;
                case "--stat":
                    o.stat = true;
                    break;
                case "--latency":
                    o.latency = true;
                    break;
                case "--latency-history":
                    o.latency = true;
                    o.latencyHistory = true;
                    break;
                case "--latency-dist":
                    o.latencyDist = true;
                    break;
                case "--mono":
                    o.mono = true;
                    break;
                case "--hotkeys":
                    o.hotkeys = true;
                    break;
                case "--memkeys":
                    o.memkeys = true;
                    break;
                case "--memkeys-samples":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.memkeysSamples = atoi(args[++i]);
                    break;
                case "--scan":
                    o.scan = true;
                    break;
                case "--pattern":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.pattern = args[++i].getBytes(StandardCharsets.UTF_8);
                    break;
                case "--quoted-pattern": {
                    if (last) {
                        throw unrecognized(a);
                    }
                    byte[] p = unquote(args[++i]);
                    if (p == null) {
                        throw new UsageError("Invalid quoted string specified for --quoted-pattern.");
                    }
                    o.pattern = p;
                    break;
                }
                case "--count":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.count = atoi(args[++i]);
                    break;
                case "--eval":
                    if (last) {
                        throw unrecognized(a);
                    }
                    o.evalFile = args[++i];
                    break;
                case "--verbose":
                    o.verbose = true;
                    break;
                case "--version": case "-v":
                    o.version = true;
                    break;
                case "--help":
                    o.help = true;
                    break;
                default:
                    if (UNSUPPORTED_0.contains(a) || UNSUPPORTED_1.contains(a)) {
                        throw new UsageError("peregrine-cli: option '" + a + "' is not supported yet");
                    }
                    if (a.startsWith("-")) {
                        throw unrecognized(a);
                    }
            }
            if (o.version || o.help) {
                return o;
            }
            if (!a.startsWith("-")) {
                break;
            }
        }
        o.command = Arrays.asList(args).subList(Math.min(i, args.length), args.length);
        if (json && o.resp == 0) {
            o.resp = 3;
        }
        return o;
    }

    private static UsageError unrecognized(String a) {
        return new UsageError("Unrecognized option or bad number of args for: '" + a + "'");
    }

    /** {@code redis[s]://[[user][:password]@]host[:port][/db]}; user and password are percent-decoded. */
    private void parseUri(String uri) throws UsageError {
        String rest;
        if (uri.startsWith("redis://")) {
            rest = uri.substring("redis://".length());
        } else if (uri.startsWith("rediss://")) {
            rest = uri.substring("rediss://".length());
            tls = true;
        } else {
            throw new UsageError("Invalid URI scheme");
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userinfo = rest.substring(0, at);
            int colon = userinfo.indexOf(':');
            if (colon >= 0) {
                user = colon > 0 ? decode(userinfo.substring(0, colon)) : "";
                auth = decode(userinfo.substring(colon + 1));
            } else {
                auth = decode(userinfo);
            }
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
        if (slash >= 0 && slash + 1 < rest.length()) {
            db = atoi(rest.substring(slash + 1));
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0) {
            port = atoi(hostPort.substring(colon + 1));
            hostPort = hostPort.substring(0, colon);
        }
        if (!hostPort.isEmpty()) {
            host = hostPort;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A quoted argument ({@code "a\x00b"} or {@code 'x'}) as its bytes; {@code null} if it is not one argument. */
    static byte[] unquote(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[][] parts = dev.peregrine.protocol.SplitArgs.split(b, 0, b.length);
        return parts == null || parts.length != 1 ? null : parts[0];
    }

    /** C atoi: leading white space, an optional sign, digits up to the first other character; 0 if none. */
    static int atoi(String s) {
        return (int) atol(s);
    }

    static long atol(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return neg ? -v : v;
    }

    static double atof(String s) {
        String t = s.trim();
        int end = 0;
        while (end < t.length() && "+-0123456789.eE".indexOf(t.charAt(end)) >= 0) {
            end++;
        }
        while (end > 0) {
            try {
                return Double.parseDouble(t.substring(0, end));
            } catch (NumberFormatException e) {
                end--;
            }
        }
        return 0;
    }
}
