package gateway

import (
	"context"
	"io"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
)

// detach returns a context that ends with ctx but does not reach into it afterwards. versitygw
// hands the backend fasthttp's request context, which fasthttp recycles once the handler
// returns, while net/http still consults an outgoing request's context (values included) as it
// finishes the response on its own goroutine. stop must be called before the handler returns.
//
// ctx's channel is taken here, on the handler's goroutine, and ctx is not read again: its Done
// and Err read the fasthttp server's channel, which the server resets at shutdown, so reading
// them from another goroutine (as context.AfterFunc and context.Cause would) races with it. The
// detached context ends with context.Canceled, what fasthttp's Err says once its channel closes.
func detach(ctx context.Context) (context.Context, func()) {
	c, cancel := context.WithCancel(context.Background())
	done, stopped := ctx.Done(), make(chan struct{})
	go func() {
		select {
		case <-done:
			cancel()
		case <-stopped:
		}
	}()
	return c, func() {
		close(stopped)
		cancel()
	}
}

// detachedCatalog calls its Catalog under detached contexts.
type detachedCatalog struct{ c Catalog }

func (d detachedCatalog) CreateBucket(ctx context.Context, name []byte) (meta.Bucket, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.c.CreateBucket(ctx, name)
}

func (d detachedCatalog) DeleteBucket(ctx context.Context, name []byte) error {
	ctx, stop := detach(ctx)
	defer stop()
	return d.c.DeleteBucket(ctx, name)
}

func (d detachedCatalog) ListBuckets(ctx context.Context) ([]meta.Bucket, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.c.ListBuckets(ctx)
}

func (d detachedCatalog) PutObject(ctx context.Context, o meta.Object, opt meta.PutOptions) (meta.PutResult, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.c.PutObject(ctx, o, opt)
}

func (d detachedCatalog) GetObject(ctx context.Context, bucket, key []byte) (meta.Object, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.c.GetObject(ctx, bucket, key)
}

func (d detachedCatalog) DeleteObject(ctx context.Context, bucket, key []byte, opt meta.PutOptions) (meta.Object, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.c.DeleteObject(ctx, bucket, key, opt)
}

func (d detachedCatalog) ListObjects(ctx context.Context, bucket []byte, opt meta.ListOptions) (meta.ListPage, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.c.ListObjects(ctx, bucket, opt)
}

// detachedData calls its Data under detached contexts. Read's body is read after the handler
// returns, so Data.Read must not use its ctx past returning (see Data).
type detachedData struct{ d Data }

func (d detachedData) Write(ctx context.Context, kek crypt.Key, r io.Reader) ([]meta.Segment, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.d.Write(ctx, kek, r)
}

func (d detachedData) Read(ctx context.Context, kek crypt.Key, segs []meta.Segment, off, n int64) (io.ReadCloser, error) {
	ctx, stop := detach(ctx)
	defer stop()
	return d.d.Read(ctx, kek, segs, off, n)
}

func (d detachedData) Rewrap(from, to crypt.Key, segs []meta.Segment, first int) ([]meta.Segment, error) {
	return d.d.Rewrap(from, to, segs, first)
}

func (d detachedData) Delete(ctx context.Context, segs []meta.Segment) error {
	ctx, stop := detach(ctx)
	defer stop()
	return d.d.Delete(ctx, segs)
}
