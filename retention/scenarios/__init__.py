"""What-if scenarios: "+X retention → how much more profit?" (the model, its inputs, the sBG projection)."""
