package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/storage/s3keys"
)

func (a *app) s3Cmd() *cobra.Command {
	c := &cobra.Command{Use: "s3", Short: "S3-compatible storage on providers' disks: the consumer's own gateway and its keys"}
	keys := &cobra.Command{Use: "keys", Short: "Access keys of the local S3 gateway; they never leave this machine"}
	keys.AddCommand(a.s3KeysCreateCmd())
	c.AddCommand(keys)
	return c
}

// s3KeysPath is where the gateway's keys live: --keys-file, DEC2_S3_KEYS, or beside the config.
func (a *app) s3KeysPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if p := a.getenv("DEC2_S3_KEYS"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no --keys-file and no config directory: %w", err)
	}
	return filepath.Join(dir, "dec2", "s3keys.json"), nil
}

func (a *app) s3KeysCreateCmd() *cobra.Command {
	var file string
	c := &cobra.Command{
		Use:   "create",
		Short: "Create an access key pair for the local S3 gateway and print it once",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path, err := a.s3KeysPath(file)
			if err != nil {
				return err
			}
			k, err := s3keys.Create(path, time.Now())
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n# kept in %s\n", k.AccessKey, k.SecretKey, path)
			return err
		},
	}
	c.Flags().StringVar(&file, "keys-file", "", "the key file (default $DEC2_S3_KEYS, else s3keys.json beside the config)")
	return c
}
