package launch

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
)

// ServeUI starts prism's job service and its web UI on uiPort, both in process, and points
// the jobs of this process at that job service, so that the UI shows them. It applies only
// to the embedded runner: with another runner or an explicit --endpoint it does nothing.
func ServeUI(ctx context.Context, uiPort int, log io.Writer) error {
	if *jobopts.Endpoint != "" {
		return fmt.Errorf("--ui needs the embedded prism runner, but --endpoint=%s is set", *jobopts.Endpoint)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	cli, err := prism.CreateJobServer(ctx, prism.Options{Port: port})
	if err != nil {
		return fmt.Errorf("start prism job service: %w", err)
	}
	*jobopts.Endpoint = fmt.Sprintf("localhost:%d", port)
	if *jobopts.EnvironmentType == "" {
		*jobopts.EnvironmentType = "loopback"
	}
	go func() {
		if err := prism.CreateWebServer(ctx, cli, prism.Options{Port: uiPort}); err != nil {
			fmt.Fprintf(log, "prism UI stopped: %v\n", err)
		}
	}()
	fmt.Fprintf(log, "prism UI: http://localhost:%d\n", uiPort)
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
