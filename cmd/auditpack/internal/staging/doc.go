// Package staging writes a command's output where nobody looks for it yet
// and moves it into place only when it is complete, without ever destroying
// what auditpack did not create.
//
// The rules, in the order a build meets them:
//
//   - An output may never be, hold or lie inside an input of the run (the
//     configuration, model, evidence, exceptions, rules, keys, a previous
//     package); this is refused whatever --force says.
//   - Without force, anything at the output path refuses the build, both
//     when it starts and at the final rename, which is exclusive: on Linux
//     renameat2(RENAME_NOREPLACE), on macOS renamex_np(RENAME_EXCL), and
//     elsewhere a link or a freshly made empty directory that a rename can
//     take but never anything with content. A second build into the same
//     path, or a directory a user creates there meanwhile, therefore
//     survives; the losing build keeps its package beside it under a
//     clear name and says so.
//   - With force, only an auditpack package (a directory or zip holding the
//     package's manifest.json) or an empty directory is replaced, and what
//     is replaced is checked again after it has been moved aside, so a
//     directory swapped in during the build is put back, not deleted.
//   - Staging lives beside the output as .auditpack-tmp-<pid>-<random>,
//     with a lock file held for the run. A later run removes staging whose
//     owner is gone (no such process and the lock free) and says so.
package staging
