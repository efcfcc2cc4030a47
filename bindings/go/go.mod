module iamkit.dev/iamkit

go 1.19
