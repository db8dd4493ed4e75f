package io.glmvoicebatch.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local {@code --outputDir} is checked before anything runs: a folder we can create and write in. Found
 * later, the same problem would stop the batch mid-run with a stack trace.
 */
final class OutputFolderCheck {
  private OutputFolderCheck() {}

  static void writable(String given, Path folder) throws UsageException {
    for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new UsageException("--outputDir=" + given + (p.equals(folder.toAbsolutePath()) ? "" : ": " + p)
            + " is a file, not a folder");
      }
    }
    try {
      Files.createDirectories(folder);
      Path probe = Files.createTempFile(folder, ".write-check-", ".tmp");
      Files.delete(probe);
    } catch (FileAlreadyExistsException e) {
      throw new UsageException("--outputDir=" + given + ": " + e.getFile() + " is a file, not a folder");
    } catch (AccessDeniedException e) {
      throw new UsageException("--outputDir=" + given + " is not writable (Permission denied)");
    } catch (FileSystemException e) {
      String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      throw new UsageException("--outputDir=" + given + " is not writable (" + reason + ")");
    } catch (IOException e) {
      throw new UsageException("--outputDir=" + given + " is not writable (" + e.getMessage() + ")");
    }
  }
}
