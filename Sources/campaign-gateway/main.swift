print("campaign-gateway: not yet")
