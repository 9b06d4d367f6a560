// Starts Debian's docker-registry on a free loopback port for this build (at most 5 minutes, so that a build
// that never reaches verify.groovy leaves nothing running) and points the build's prefix at it through
// .mvn/maven.config.
def work = new File(basedir, 'target/registry')
work.mkdirs()
def socket = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1'))
int port = socket.localPort
socket.close()
def config = new File(work, 'config.yml')
config.text = """version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: '${new File(work, 'storage')}'
http:
  addr: '127.0.0.1:${port}'
"""
def registry = new ProcessBuilder('timeout', '300', '/usr/bin/docker-registry', 'serve', config.toString())
    .redirectErrorStream(true).redirectOutput(new File(work, 'registry.log')).start()
new File(work, 'pid').text = registry.pid().toString()
def up = false
for (int i = 0; i < 100 && !up && registry.isAlive(); i++) {
  try {
    def c = new URL("http://127.0.0.1:${port}/v2/").openConnection()
    up = c.responseCode == 200
  } catch (IOException e) {
    Thread.sleep(100)
  }
}
assert up : "docker-registry did not start: ${new File(work, 'registry.log').text}"
new File(work, 'port').text = port.toString()
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dcaulk.prefix=127.0.0.1:${port}/team/\n"
return true
