package io.alignloss.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;

import java.io.File;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Makes every {@code include} of a file required: a documented deviation from HOCON, where a plain {@code include
 * "x.conf"} of a missing file is silently ignored (or looked up on the classpath). Here a plain include names a file,
 * relative to the folder of the file that includes it; when it does not exist the config fails (exit 2) naming the
 * file. A name without an extension is tried with .conf, .json and .properties, as HOCON does (the first found is
 * read). {@code include url(...)} and {@code classpath(...)} keep HOCON's behaviour.
 */
final class RequiredIncluder implements ConfigIncluder, ConfigIncluderFile {
    private static final List<String> EXTENSIONS = List.of(".conf", ".json", ".properties");
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

    private final File folder;

    /** @param folder the folder of the including file, against which relative names resolve */
    RequiredIncluder(File folder) {
        this.folder = requireNonNull(folder, "folder is null");
    }

    static ConfigParseOptions options(File file) {
        File parent = file.getAbsoluteFile().getParentFile();
        return ConfigParseOptions.defaults().setAllowMissing(false).setIncluder(new RequiredIncluder(parent));
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder next) {
        return this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        if (URL.matcher(what).matches()) {
            return context.relativeTo(what).parse(context.parseOptions().setAllowMissing(false));
        }
        File named = new File(what).isAbsolute() ? new File(what) : new File(folder, what);
        if (named.getName().contains(".")) {
            return includeFile(context, named);
        }
        for (String extension : EXTENSIONS) {
            File candidate = new File(named.getPath() + extension);
            if (candidate.isFile()) {
                return includeFile(context, candidate);
            }
        }
        throw new ConfigException.IO(ConfigOriginFactory.newSimple("include \"" + what + "\""), "included file " + named + " (.conf, .json or .properties) does not exist");
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        if (!what.isFile()) {
            throw new ConfigException.IO(ConfigOriginFactory.newSimple("include " + what.getName()), "included file " + what + " does not exist");
        }
        return ConfigFactory.parseFile(what, options(what)).root();
    }
}
