package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/meta"
)

func newBucketResource() resource.Resource { return &bucketResource{} }

// bucketResource is a bucket of the configured wallet in the storage service, named exactly as
// the consumer's gateway (`dec2 s3 serve`, `dec2 s3 mb`) names it: encrypted under the master
// key derived from the wallet key, with the gateway's companion for multipart uploads. Objects
// go through the gateway; the resource only creates and deletes the bucket.
type bucketResource struct{ c *clients }

type bucketModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

func (r *bucketResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket"
}

func (r *bucketResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "An S3 bucket of the configured wallet (private_key) in dec2 storage (storage_address). " +
			"Its name is encrypted on this machine under the master key derived from the wallet key, as `dec2 s3` does, " +
			"so the wallet's gateway (`dec2 s3 serve`) serves it. Deleting a bucket that holds objects fails.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, Description: "The bucket's name.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"name": schema.StringAttribute{Required: true, Validators: []validator.String{bucketNameValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Description:   "The bucket's S3 name: 3 to 63 lower-case letters, digits, dots and hyphens."},
		},
	}
}

func (r *bucketResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.c = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *bucketResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m bucketModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	be, err := r.c.buckets()
	if err != nil {
		resp.Diagnostics.AddError("Connecting to dec2 storage failed", err.Error())
		return
	}
	name := m.Name.ValueString()
	if err := be.MakeBucket(ctx, name); err != nil {
		detail := err.Error()
		if errors.Is(err, meta.ErrBucketExists) {
			detail += fmt.Sprintf(". The wallet owns it already: import it (tofu import <address> %s) or pick another name.", name)
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Creating the bucket failed", detail)
		return
	}
	m.ID = types.StringValue(name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *bucketResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m bucketModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	be, err := r.c.buckets()
	if err != nil {
		resp.Diagnostics.AddError("Connecting to dec2 storage failed", err.Error())
		return
	}
	name := m.ID.ValueString()
	err = be.BucketExists(ctx, name)
	if errors.Is(err, meta.ErrNoSuchBucket) {
		resp.State.RemoveResource(ctx) // deleted outside Terraform
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Reading the bucket failed", err.Error())
		return
	}
	m.Name = types.StringValue(name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update is never called: the only argument, name, replaces the bucket.
func (r *bucketResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Buckets are not updated in place", "Changing a bucket's name replaces it; this is a bug in the dec2 provider.")
}

func (r *bucketResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m bucketModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	be, err := r.c.buckets()
	if err != nil {
		resp.Diagnostics.AddError("Connecting to dec2 storage failed", err.Error())
		return
	}
	name := m.ID.ValueString()
	err = be.RemoveBucket(ctx, name)
	switch {
	case err == nil, errors.Is(err, meta.ErrNoSuchBucket):
	case errors.Is(err, meta.ErrBucketNotEmpty):
		resp.Diagnostics.AddError("The bucket is not empty",
			fmt.Sprintf("Bucket %q still holds objects or uploads, and deleting it would lose them: delete them first (dec2 s3 ls s3://%s lists them, dec2 s3 rm deletes one), then destroy again.", name, name))
	default:
		resp.Diagnostics.AddError("Deleting the bucket failed", err.Error())
	}
}

// ImportState takes the bucket's name.
func (r *bucketResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// bucketNameValidator refuses at plan time the names the gateway would refuse.
type bucketNameValidator struct{}

func (bucketNameValidator) Description(context.Context) string {
	return "an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit"
}
func (v bucketNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (bucketNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	if err := gateway.CheckBucketName(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid bucket name", err.Error())
	}
}
