/** caulk: builds, audits, hardens, slims, scans and pushes OCI images without a Docker daemon. */
package dev.caulk;
