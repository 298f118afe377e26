"""What follow-up recovered: an order its customer submitted soon after a staff contact
(issue 21), recorded at the submit and never changed after."""
