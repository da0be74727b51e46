package dev.peregrine.server.config;

import dev.peregrine.protocol.SplitArgs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads configuration the way Redis does: a config file in redis.conf syntax (one directive per line, arguments
 * split with Redis's quoting rules, {@code #} comments, {@code include} of further files) followed by the command
 * line's {@code --directive value ...} options, which are turned into config lines and appended, so they win.
 *
 * <p>A line that names no directive, has the wrong number of arguments or a bad value stops start-up with a
 * {@link FatalConfigError} whose text follows Redis's: the line number, the line, and the reason. Start-up
 * thread only.
 */
public final class ConfigLoader {
    private final ServerConfig config;
    private final List<String> savePoints = new ArrayList<>();
    private boolean saveSeen;

    public ConfigLoader(ServerConfig config) {
        this.config = config;
    }

    /** A configuration error that stops start-up; {@link #getMessage()} is the whole report to print. */
    public static final class FatalConfigError extends Exception {
        private static final long serialVersionUID = 1L;

        FatalConfigError(String report) {
            super(report, null, false, false);
        }
    }

    /**
     * Builds the config text from a command line: {@code [configfile] [--directive value ...]}, where a first
     * argument not starting with {@code -} (or exactly {@code -}, standard input) is the file.
     *
     * @return the config file path (or null) and the option lines
     */
    public static Parsed parseCommandLine(String[] args) {
        String file = null;
        int j = 0;
        if (args.length > 0 && (!args[0].startsWith("-") || args[0].equals("-"))) {
            file = args[0];
            j = 1;
        }
        StringBuilder options = new StringBuilder();
        for (; j < args.length; j++) {
            String a = args[j];
            if (a.startsWith("--") && a.length() > 2) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(a.substring(2)).append(' ');
            } else {
                options.append(quote(a)).append(' ');
            }
        }
        return new Parsed(file, options.toString());
    }

    /** The outcome of {@link #parseCommandLine}. */
    public static final class Parsed {
        public final String configFile;
        public final String options;

        Parsed(String configFile, String options) {
            this.configFile = configFile;
            this.options = options;
        }
    }

    /** Quotes an argument as Redis's {@code sdscatrepr} does, so it splits back to the same bytes. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '"': sb.append("\\\""); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case 7: sb.append("\\a"); break;
                case '\b': sb.append("\\b"); break;
                default:
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Loads a config file (may be null) then the option lines.
     *
     * @throws FatalConfigError with Redis's report text
     */
    public void load(String configFile, String options) throws FatalConfigError {
        StringBuilder text = new StringBuilder();
        if (configFile != null) {
            try {
                if (configFile.equals("-")) {
                    text.append(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
                } else {
                    Path p = Path.of(configFile).toAbsolutePath();
                    text.append(Files.readString(p, StandardCharsets.UTF_8));
                    config.configFile(p.toString());
                }
            } catch (IOException e) {
                throw new FatalConfigError("Fatal error, can't open config file '" + configFile + "': "
                                           + e.getMessage());
            }
            text.append('\n');
        }
        text.append(options);
        loadString(text.toString(), 0);
        if (saveSeen) {
            applySave();
        }
    }

    /** Applies config text; {@code depth} guards against include cycles. */
    void loadString(String text, int depth) throws FatalConfigError {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> argv = SplitArgs.split(line);
            if (argv == null) {
                throw fatal(i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (argv.isEmpty()) {
                continue;
            }
            String name = argv.get(0).toLowerCase(Locale.ROOT);
            String[] args = argv.subList(1, argv.size()).toArray(new String[0]);
            if (name.equals("include") && args.length == 1) {
                if (depth > 16) {
                    throw fatal(i + 1, line, "Too many nested includes");
                }
                try {
                    loadString(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), depth + 1);
                } catch (IOException e) {
                    throw fatal(i + 1, line, "Fatal error, can't open config file '" + args[0] + "'");
                }
                continue;
            }
            Directive<?> d = config.directive(name);
            if (d == null || args.length == 0 || (!d.type().multiArg() && args.length != 1)) {
                throw fatal(i + 1, line, "Bad directive or wrong number of arguments");
            }
            if (d.name().equals("save")) {
                saveSeen = true;
                // as Redis: each save line adds points; "save ''" clears them
                if (args.length == 1 && args[0].isEmpty()) {
                    savePoints.clear();
                } else {
                    savePoints.addAll(List.of(args));
                }
                try {
                    d.type().parse(args);
                } catch (ConfigException e) {
                    throw fatal(i + 1, line, e.getMessage());
                }
                continue;
            }
            try {
                config.set(d, args);
            } catch (ConfigException e) {
                throw fatal(i + 1, line, e.getMessage());
            }
        }
    }

    private void applySave() throws FatalConfigError {
        try {
            config.set(config.directive("save"), savePoints.isEmpty() ? new String[] {""}
                                                                       : savePoints.toArray(new String[0]));
        } catch (ConfigException e) {
            throw new FatalConfigError(e.getMessage());
        }
    }

    private static FatalConfigError fatal(int lineNumber, String line, String reason) {
        return new FatalConfigError("\n*** FATAL CONFIG FILE ERROR (Redis " + dev.peregrine.server.exec.ServerInfo.REDIS_VERSION
                                    + ") ***\nReading the configuration file, at line " + lineNumber + "\n>>> '"
                                    + line + "'\n" + reason);
    }
}
