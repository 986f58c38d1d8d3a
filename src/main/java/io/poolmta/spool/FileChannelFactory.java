package io.poolmta.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the channels a {@link FileSpool} writes and fsyncs through (segments and, for its fsync,
 * the spool directory). The one seam for simulating a full disk or a failing fsync.
 */
@FunctionalInterface
public interface FileChannelFactory {
    FileChannelFactory DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
