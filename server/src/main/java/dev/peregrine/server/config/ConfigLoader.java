package dev.peregrine.server.config;

import dev.peregrine.protocol.SplitArgs;
import dev.peregrine.server.exec.ServerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads configuration the way Redis does: a config file in redis.conf syntax (one directive per line, arguments
 * split with Redis's quoting rules, {@code #} comments, {@code include} of further files, wildcards allowed)
 * followed by the command line's {@code --directive value ...} options, which are turned into config lines and
 * appended after an empty line, so they win and their line numbers follow the file's.
 *
 * <p>A line that names no directive, has the wrong number of arguments or a bad value stops start-up with a
 * {@link FatalConfigError} whose text is Redis's report: the header, the line number, the line as written
 * (trimmed), and the reason. Repeated directives: the last wins, except {@code save}, whose lines accumulate (the
 * first {@code save} line replaces the default, {@code save ""} clears). Start-up thread only.
 */
public final class ConfigLoader {
    private static final int MAX_INCLUDE_DEPTH = 32;
    private final ServerConfig config;
    private boolean saveLoaded;

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

    /** The outcome of {@link #parseCommandLine}. */
    public static final class Parsed {
        /** The config file path, or null. */
        public final String configFile;
        /** Whether config text is also read from standard input (a {@code -} first or last argument). */
        public final boolean fromStdin;
        /** The options as config lines, one per {@code --directive}. */
        public final String options;

        Parsed(String configFile, boolean fromStdin, String options) {
            this.configFile = configFile;
            this.fromStdin = fromStdin;
            this.options = options;
        }
    }

    /**
     * Builds the config text from a command line as Redis's {@code main} does: {@code [configfile] [-]
     * [--directive value ...] [-]}. A first argument not starting with {@code -} is the file; {@code -} first or
     * last reads standard input; each {@code --name} starts a line, the following arguments are appended quoted,
     * and a {@code --save} with no value becomes {@code save ""}. An argument starting with {@code --} right after
     * an option name with no value yet is taken as its value ({@code --masterauth --secret}).
     */
    public static Parsed parseCommandLine(String[] args) {
        String file = null;
        boolean stdin = false;
        int j = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            file = args[0];
            j = 1;
        }
        StringBuilder options = new StringBuilder();
        boolean handledLast = true;
        for (; j < args.length; j++) {
            String a = args[j];
            if (a.equals("-") && (j == 0 || j == args.length - 1)) {
                stdin = true;
            } else if (handledLast && a.startsWith("--")) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(a.substring(2)).append(' ');
                List<String> parts = SplitArgs.split(a);
                if (parts != null && parts.size() == 1) {
                    handledLast = false;
                    boolean nextIsOption = j != args.length - 1 && args[j + 1].startsWith("--");
                    if (a.equalsIgnoreCase("--save") && nextIsOption) {
                        options.append("\"\"");
                        handledLast = true;
                    } else if (a.equalsIgnoreCase("--save") && j == args.length - 1) {
                        options.append("\"\"");
                    }
                } else {
                    handledLast = true;
                }
            } else {
                options.append(Types.quote(a)).append(' ');
                handledLast = true;
            }
        }
        return new Parsed(file, stdin, options.toString());
    }

    /** Loads the config of a parsed command line. */
    public void load(Parsed parsed) throws FatalConfigError {
        load(parsed.configFile, parsed.fromStdin, parsed.options, System.in);
    }

    /** Loads a config file (may be null) then the option lines. */
    public void load(String configFile, String options) throws FatalConfigError {
        load(configFile, false, options, System.in);
    }

    /**
     * Loads a config file (may be null), then config text from {@code stdin} if asked, then the option lines.
     *
     * @throws FatalConfigError with Redis's report text
     */
    public void load(String configFile, boolean fromStdin, String options, InputStream stdin)
            throws FatalConfigError {
        StringBuilder text = new StringBuilder();
        if (configFile != null) {
            Path p = Path.of(configFile).toAbsolutePath();
            text.append(readFile(configFile));
            config.configFile(p.normalize().toString());
        }
        if (fromStdin) {
            try {
                text.append(new String(stdin.readAllBytes(), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new FatalConfigError("Fatal error, can't read config from stdin: " + e.getMessage());
            }
        }
        if (options != null) {
            text.append('\n').append(options);
        }
        loadString(text.toString(), 0);
    }

    private static String readFile(String name) throws FatalConfigError {
        try {
            return new String(Files.readAllBytes(Path.of(name)), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "No such file or directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
                    : String.valueOf(e.getMessage());
            throw new FatalConfigError("Fatal error, can't open config file '" + name + "': " + reason);
        }
    }

    /** Applies config text; {@code depth} guards against include cycles. */
    void loadString(String text, int depth) throws FatalConfigError {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = trim(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#') {
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
            String error = apply(name, args, depth);
            if (error != null) {
                throw fatal(i + 1, line, error);
            }
        }
    }

    /** Applies one directive; returns Redis's reason text when it fails, else null. */
    private String apply(String name, String[] args, int depth) throws FatalConfigError {
        Directive<?> d = config.directive(name);
        if (d != null) {
            if (!d.type().multiArg() && args.length != 1) {
                return "wrong number of arguments";
            }
            try {
                if (d.name().equals("save")) {
                    applySave(d, args);
                } else {
                    config.set(d, args);
                }
            } catch (ConfigException e) {
                return e.getMessage();
            }
            return null;
        }
        if (name.equals("include") && args.length == 1) {
            if (depth >= MAX_INCLUDE_DEPTH) {
                return "Too many nested includes";
            }
            for (String file : expandInclude(args[0])) {
                loadString(readFile(file), depth + 1);
            }
            return null;
        }
        if (name.equals("rename-command") && args.length == 2) {
            config.renamedCommands().add(new String[] {args[0].toLowerCase(Locale.ROOT), args[1]});
            return null;
        }
        if (name.equals("user") && args.length >= 1) {
            config.userLines().add(String.join(" ", args));
            return null;
        }
        if (name.equals("loadmodule") && args.length >= 1) {
            config.moduleLines().add(String.join(" ", args));
            return null;
        }
        if (name.equals("sentinel")) {
            return "sentinel directive while not in sentinel mode";
        }
        if (Directives.DEPRECATED.contains(name)) {
            return null;
        }
        return "Bad directive or wrong number of arguments";
    }

    /** The first {@code save} line replaces the default; later lines add points; {@code save ""} clears. */
    private void applySave(Directive<?> d, String[] args) throws ConfigException {
        if (args.length == 1 && !args[0].isEmpty()) {
            List<String> split = SplitArgs.split(args[0]);
            args = split == null ? args : split.toArray(new String[0]);
        }
        String added = (String) d.type().parse(args);
        String current = saveLoaded ? (String) config.value("save") : "";
        saveLoaded = true;
        String next = added.isEmpty() ? "" : current.isEmpty() ? added : current + " " + added;
        config.set(d, new String[] {next});
    }

    /** An include path, with {@code * ? [} wildcards in its file name expanded in alphabetical order. */
    private static List<String> expandInclude(String pattern) throws FatalConfigError {
        Path p = Path.of(pattern);
        String fileName = p.getFileName() == null ? "" : p.getFileName().toString();
        if (fileName.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
            return List.of(pattern);
        }
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, fileName)) {
            for (Path f : ds) {
                if (Files.isRegularFile(f)) {
                    out.add(f.toString());
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /** Trims the characters Redis trims from a config line: space, tab, CR, LF. */
    static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && " \t\r\n".indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && " \t\r\n".indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    private static FatalConfigError fatal(int lineNumber, String line, String reason) {
        return new FatalConfigError("\n*** FATAL CONFIG FILE ERROR (Redis " + ServerInfo.REDIS_VERSION
                                    + ") ***\nReading the configuration file, at line " + lineNumber + "\n>>> '"
                                    + line + "'\n" + reason);
    }
}
