// The build failed in caulk:audit, on the critical credential finding (CIS-DI-0010) and only on it, with a one-line reason; the JSON
// report was written first and holds both findings; the token's value is in neither the log nor the report.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def token = 'ghp_R8vXq2LmT9kZp4WbN7' + 'cYs3JdF6hGa1EuQ5oV'
assert log.contains('caulk:build docker.io/library/gate:1.0.0@sha256:') : 'the image was not built'
def failure = log.readLines().find { it.contains('caulk:audit: ') && it.contains('at or above high') }
assert failure != null : 'the audit did not fail the build'
assert failure.contains('1 finding at or above high') && failure.contains('CIS-DI-0010') : failure
assert !log.contains(token) : 'the token is in the build log'

def report = new File(basedir, 'target/caulk/audit-gate.json')
assert report.isFile() : "no report at $report"
assert !report.text.contains(token) : 'the token is in the report'
def ids = new JsonSlurper().parse(report).findings*.id
assert ids.contains('CIS-DI-0010') && ids.contains('CIS-DI-0006') : "findings $ids"
return true
