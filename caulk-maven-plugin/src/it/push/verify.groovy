// caulk:push put the image the build recorded at PREFIXIMAGE:TAG: the registry serves the manifest under the
// recorded digest. The registry is stopped either way.
import groovy.json.JsonSlurper

def work = new File(basedir, 'target/registry')
try {
  def port = new File(work, 'port').text.trim()
  def record = new JsonSlurper().parse(new File(basedir, 'target/caulk/.caulk/last-build.json'))
  def digest = record.services.pushed
  assert digest != null : "nothing recorded: $record"
  assert record.prefix == "127.0.0.1:${port}/team/".toString()
  def c = new URL("http://127.0.0.1:${port}/v2/team/pushed/manifests/1.0.0").openConnection()
  c.setRequestProperty('Accept',
      'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json')
  assert c.responseCode == 200 : "the registry answered ${c.responseCode}"
  assert c.getHeaderField('Docker-Content-Digest') == digest
  def log = new File(basedir, 'build.log').text
  assert log.contains("caulk:push 127.0.0.1:${port}/team/pushed:1.0.0@${digest}".toString())
} finally {
  ProcessHandle.of(new File(work, 'pid').text.trim() as long).ifPresent { it.destroy() }
}
return true
