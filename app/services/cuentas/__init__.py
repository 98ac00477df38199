"""The person's account: signup, activation, recovery, login, profile, identification."""
