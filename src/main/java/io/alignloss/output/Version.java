package io.alignloss.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The alignloss version, from the build. */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    public static String alignloss() {
        return VERSION;
    }

    private static String load() {
        try (InputStream stream = Version.class.getResourceAsStream("/alignloss-version.properties")) {
            if (stream == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(stream);
            return properties.getProperty("version", "unknown");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
